package dev.mmcheck.model.state;

/**
 * A /proc/PID/mem (or ptrace) write in flight: __access_remote_vm() holds the target's mmap_lock for read around
 * __get_user_pages(FOLL_FORCE|FOLL_WRITE) and the copy into the page, but no page-table lock between GUP's
 * follow_page_pte() and faultin_page() steps, nor between GUP's return and the copy. The actor (the process whose
 * write(2) this is) waits at its step until the copy is done.
 *
 * @param target the process whose memory is written
 * @param addr   the address
 * @param value  the byte written (0..255; -1 only in {@link #NONE})
 * @param write  FOLL_WRITE still set in GUP's foll_flags (v4.8 and before clear it after a COW fault)
 * @param cow    FOLL_COW set (v4.9-v5.19: after a COW fault in a VMA without VM_WRITE)
 * @param got    GUP returned: the page is held by a FOLL_GET reference of the target at {@code addr} with FOLL_FORCE,
 *               and the copy is next
 */
public record GupLoop(Pid target, Vaddr addr, int value, boolean write, boolean cow, boolean got) {
    /** No write in flight (the only loop with a negative value). */
    public static final GupLoop NONE = new GupLoop(new Pid(0), new Vaddr(0), -1, false, false, false);

    public boolean active() {
        return value >= 0;
    }

    public GupLoop withWrite(boolean w) {
        return new GupLoop(target, addr, value, w, cow, got);
    }

    public GupLoop withCow(boolean c) {
        return new GupLoop(target, addr, value, write, c, got);
    }

    public GupLoop withGot() {
        return new GupLoop(target, addr, value, write, cow, true);
    }

    /** One word: target, address, flags and value. */
    public int encoded() {
        return target.index() | (addr.index() << 4) | (write ? 1 << 8 : 0) | (cow ? 1 << 9 : 0) | (got ? 1 << 10 : 0) | (value << 12);
    }

    public static GupLoop decoded(int w) {
        return new GupLoop(new Pid(w & 15), new Vaddr((w >> 4) & 15), w >>> 12, (w & (1 << 8)) != 0, (w & (1 << 9)) != 0,
                (w & (1 << 10)) != 0);
    }
}
