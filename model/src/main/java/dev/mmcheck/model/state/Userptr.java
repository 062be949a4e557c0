package dev.mmcheck.model.state;

/**
 * An i915 userptr GEM object of this process over one page (drivers/gpu/drm/i915/gem/i915_gem_userptr.c): the driver
 * pins the page for the GPU and subscribes to the mm's changes with an mmu interval notifier.
 *
 * @param addr           the page it covers
 * @param unsynchronized I915_USERPTR_UNSYNCHRONIZED: no notifier (CAP_SYS_ADMIN, refused from v5.13)
 * @param pinned         it holds the page: a FOLL_PIN reference of this process at {@code addr} with {@link GupFlag#DRIVER}
 * @param stale          an invalidation reached the notifier since the page was pinned (mmu_interval_read_retry()
 *                       would say so; before v5.13 the invalidation dropped the pages instead)
 * @param submitting     execbuf is between submit_init (pages pinned) and submit_done (fences published)
 * @param gpuBusy        a GPU job that uses the pinned page is running
 * @param usedStale      ghost: a GPU job started on a page list an invalidation had reached before its fences were published
 */
public record Userptr(Vaddr addr, boolean unsynchronized, boolean pinned, boolean stale, boolean submitting, boolean gpuBusy,
                      boolean usedStale) {
    /** No object (the only one with {@code addr} null). */
    public static final Userptr NONE = new Userptr(null, false, false, false, false, false, false);

    public boolean exists() {
        return addr != null;
    }

    public static Userptr create(Vaddr addr, boolean unsynchronized) {
        return new Userptr(addr, unsynchronized, false, false, false, false, false);
    }

    public Userptr withPinned(boolean p) {
        return new Userptr(addr, unsynchronized, p, stale, submitting, gpuBusy, usedStale);
    }

    public Userptr withStale(boolean s) {
        return new Userptr(addr, unsynchronized, pinned, s, submitting, gpuBusy, usedStale);
    }

    public Userptr withSubmitting(boolean s) {
        return new Userptr(addr, unsynchronized, pinned, stale, s, gpuBusy, usedStale);
    }

    public Userptr withGpuBusy(boolean b) {
        return new Userptr(addr, unsynchronized, pinned, stale, submitting, b, usedStale);
    }

    public Userptr withUsedStale() {
        return new Userptr(addr, unsynchronized, pinned, stale, submitting, gpuBusy, true);
    }

    /** One word. */
    public int encoded() {
        return addr.index() | (unsynchronized ? 1 << 4 : 0) | (pinned ? 1 << 5 : 0) | (stale ? 1 << 6 : 0) | (submitting ? 1 << 7 : 0)
                | (gpuBusy ? 1 << 8 : 0) | (usedStale ? 1 << 9 : 0);
    }

    /** The object {@link #encoded} wrote as {@code w}. */
    public static Userptr decoded(int w) {
        return new Userptr(new Vaddr(w & 15), (w & 16) != 0, (w & 32) != 0, (w & 64) != 0, (w & 128) != 0, (w & 256) != 0,
                (w & 512) != 0);
    }
}
