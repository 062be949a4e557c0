package dev.mmcheck.model.state;

/**
 * A virtual page of a process, named A, B, C, ... The model works at page granularity: each virtual
 * page lies in its own VMA (an mprotect() or madvise() of one page splits the VMA in the kernel, so
 * nothing is lost by giving every page its own VMA).
 */
public record Vaddr(int index) implements Comparable<Vaddr> {
    public Vaddr {
        if (index < 0 || index >= MmState.MAX_PAGES) {
            throw new IllegalArgumentException("page index out of range: " + index);
        }
    }

    public static Vaddr parse(String name) {
        if (name.length() != 1 || name.charAt(0) < 'A' || name.charAt(0) >= 'A' + MmState.MAX_PAGES) {
            throw new IllegalArgumentException("not a page name: " + name);
        }
        return new Vaddr(name.charAt(0) - 'A');
    }

    @Override
    public int compareTo(Vaddr o) {
        return Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return String.valueOf((char) ('A' + index));
    }
}
