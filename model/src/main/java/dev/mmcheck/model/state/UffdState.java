package dev.mmcheck.model.state;

/**
 * A process's userfaultfd: the features its uffd context was opened with (UFFDIO_API), and what the monitor has asked
 * for and been told. {@code intent} and {@code leaked} are ghost state (history variables), not kernel state: they let
 * an invariant say "a store never lands on a page the monitor write-protected without a uffd-wp fault".
 *
 * @param features {@link #EVENT_FORK} (UFFD_FEATURE_EVENT_FORK), {@link #WP_UNPOPULATED} (v6.4+), {@link #WP_ASYNC}
 *                 (v6.7+); 0 with no uffd context
 * @param intent   the pages (bit per page) the monitor write-protected and has not resolved or unregistered since
 * @param pending  the pages with a uffd fault (wp or minor) queued to the monitor: the faulting access sleeps until the
 *                 monitor resolves it (UFFDIO_WRITEPROTECT off, UFFDIO_CONTINUE) and then retries
 * @param leaked   ghost: the pages (bit per page) where a store by the process landed while in {@code intent}, with no
 *                 uffd-wp fault
 */
public record UffdState(int features, int intent, int pending, int leaked) {
    public static final int EVENT_FORK = 1;
    public static final int WP_UNPOPULATED = 2;
    public static final int WP_ASYNC = 4;
    /** The process opened a userfaultfd (UFFDIO_API done). */
    public static final int OPEN = 8;

    public static final UffdState NONE = new UffdState(0, 0, 0, 0);

    public boolean has(int feature) {
        return (features & feature) != 0;
    }

    public boolean intends(Vaddr a) {
        return (intent & (1 << a.index())) != 0;
    }

    public boolean pendingAt(Vaddr a) {
        return (pending & (1 << a.index())) != 0;
    }

    public UffdState withFeatures(int f) {
        return new UffdState(f, intent, pending, leaked);
    }

    public UffdState withIntent(Vaddr a, boolean on) {
        int bit = 1 << a.index();
        return new UffdState(features, on ? intent | bit : intent & ~bit, pending, leaked);
    }

    public UffdState withPending(Vaddr a, boolean on) {
        int bit = 1 << a.index();
        return new UffdState(features, intent, on ? pending | bit : pending & ~bit, leaked);
    }

    public UffdState leak(Vaddr a) {
        return new UffdState(features, intent, pending, leaked | (1 << a.index()));
    }

    @Override
    public String toString() {
        if (equals(NONE)) return "no uffd";
        StringBuilder b = new StringBuilder("uffd");
        if (has(EVENT_FORK)) b.append(" EVENT_FORK");
        if (has(WP_UNPOPULATED)) b.append(" WP_UNPOPULATED");
        if (has(WP_ASYNC)) b.append(" WP_ASYNC");
        if (intent != 0) b.append(" wp-intent ").append(Integer.toBinaryString(intent));
        if (pending != 0) b.append(" pending ").append(Integer.toBinaryString(pending));
        if (leaked != 0) b.append(" store landed unreported at ").append(Integer.toBinaryString(leaked));
        return b.toString();
    }
}
