package dev.mmcheck.model.state;

/** The FOLL_* flags of a GUP request (include/linux/mm_types.h / mm.h) that the model distinguishes. */
public enum GupFlag {
    /** FOLL_PIN (pin_user_pages*); without it the reference is FOLL_GET (get_user_pages*). */
    PIN,
    /** FOLL_WRITE: the caller will write through the reference (a R/W pin, O_DIRECT read into the page). */
    WRITE,
    /** FOLL_LONGTERM: io_uring fixed buffers, RDMA, vfio. */
    LONGTERM,
    /** The caller asked for GUP-fast (get/pin_user_pages_fast()): the lockless walk runs first, the slow path if it bails out. */
    FAST,
    /** Set on a reference the lockless GUP-fast walk itself took (not the slow path it fell back to). */
    FAST_WALK,
    /** FOLL_FORCE: /proc/PID/mem and ptrace may write through a private mapping without VM_WRITE (check_vma_flags()). */
    FORCE,
    /** Held by a driver object (an i915 userptr): the driver, not the process, releases it. */
    DRIVER,
    /**
     * A request, never a reference: the spec asked for GUP-fast's lockless walk as steps of its own ({@code pin PAGE fast
     * steps}), so that other CPUs run between its read of the PTE and its grab and re-check.
     */
    STEPS;

    public int bit() {
        return 1 << ordinal();
    }
}
