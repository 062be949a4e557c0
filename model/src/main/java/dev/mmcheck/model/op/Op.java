package dev.mmcheck.model.op;

import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.VmaKind;

/**
 * The operations the model can run: user-visible entry points into the kernel. {@link EntryPoint}
 * maps each to the kernel functions it stands for. {@link #call()} spells the operation as a user would
 * write it, for traces.
 */
public sealed interface Op {
    /** The process that performs the operation (for a reference operation, the reference's owner). */
    Pid pid();

    EntryPoint entryPoint();

    String call();

    /** A load from {@code addr}: a read fault if the PTE is not present (a present PTE needs no kernel entry). */
    record Read(Pid pid, Vaddr addr) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.READ_FAULT;
        }

        public String call() {
            return pid + " read " + addr;
        }
    }

    /** A store of {@code value} to {@code addr}: a write fault first if the PTE is not present and writable. */
    record Write(Pid pid, Vaddr addr, int value, boolean steps) implements Op {
        public Write(Pid pid, Vaddr addr, int value) {
            this(pid, addr, value, false);
        }

        public EntryPoint entryPoint() {
            return EntryPoint.WRITE_FAULT;
        }

        public String call() {
            return pid + " " + String.format("*%s = 0x%02x", addr, value);
        }
    }

    /** get_user_pages*() or pin_user_pages*() of one page. */
    record Gup(Pid pid, Vaddr addr, int flags, int label, String labelName) implements Op {
        public EntryPoint entryPoint() {
            return (flags & GupFlag.PIN.bit()) != 0 ? EntryPoint.PIN_USER_PAGES : EntryPoint.GET_USER_PAGES;
        }

        public boolean has(GupFlag f) {
            return (flags & f.bit()) != 0;
        }

        public String call() {
            String fn = (has(GupFlag.PIN) ? "pin_user_pages" : "get_user_pages") + (has(GupFlag.FAST) ? "_fast" : "");
            StringBuilder f = new StringBuilder();
            if (has(GupFlag.WRITE)) f.append("FOLL_WRITE");
            if (has(GupFlag.LONGTERM)) f.append(f.isEmpty() ? "" : "|").append("FOLL_LONGTERM");
            String named = labelName.isEmpty() ? "" : " as " + labelName;
            return pid + " " + fn + "(" + addr + (f.isEmpty() ? "" : ", " + f) + ")" + named;
        }
    }

    /** unpin_user_page() for a pin, put_page() for a FOLL_GET reference. */
    record Release(GupRef ref, String labelName) implements Op {
        public Pid pid() {
            return ref.owner();
        }

        public EntryPoint entryPoint() {
            return ref.isPin() ? EntryPoint.UNPIN_USER_PAGE : EntryPoint.PUT_PAGE;
        }

        public String call() {
            return pid() + " " + (ref.isPin() ? "unpin_user_page" : "put_page") + "(" + describe(ref, labelName) + ")";
        }
    }

    /** A device (or the pipe's reader) writes through a FOLL_WRITE reference: DMA into the page. */
    record RefWrite(GupRef ref, String labelName, int value) implements Op {
        public Pid pid() {
            return ref.owner();
        }

        public EntryPoint entryPoint() {
            return EntryPoint.DEVICE_WRITE;
        }

        public String call() {
            return pid() + " " + String.format("device writes 0x%02x via %s", value, describe(ref, labelName));
        }
    }

    /**
     * fork(): {@code child} is the slot the new process gets; {@code steps}: copy_present_pte()'s pinned check and its
     * write-protect as steps of their own (see {@link dev.mmcheck.model.state.ForkStep}).
     */
    record Fork(Pid pid, Pid child, boolean steps) implements Op {
        public Fork(Pid pid, Pid child) {
            this(pid, child, false);
        }

        public EntryPoint entryPoint() {
            return EntryPoint.FORK;
        }

        public String call() {
            return pid + " fork() = " + child;
        }
    }

    record Exit(Pid pid) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.EXIT;
        }

        public String call() {
            return pid + " exit()";
        }
    }

    /** mmap(); {@code io} is a VM_MIXEDMAP driver that also sets VM_IO (remap_pfn_range() always does). */
    record Mmap(Pid pid, Vaddr addr, VmaKind kind, boolean write, boolean io) implements Op {
        public Mmap(Pid pid, Vaddr addr, VmaKind kind, boolean write) {
            this(pid, addr, kind, write, false);
        }

        public EntryPoint entryPoint() {
            return EntryPoint.MMAP;
        }

        public String call() {
            String flags = switch (kind) {
                case ANON_PRIVATE -> "MAP_PRIVATE|MAP_ANONYMOUS";
                case FILE_PRIVATE -> "MAP_PRIVATE, fd";
                case FILE_SHARED -> "MAP_SHARED, fd";
                case ANON_THP -> "MAP_PRIVATE|MAP_ANONYMOUS; MADV_HUGEPAGE";
                case HUGETLB_PRIVATE -> "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB";
                case SHMEM_SHARED -> "MAP_SHARED, memfd";
                case SHMEM_PRIVATE -> "MAP_PRIVATE, memfd";
                case NONE -> throw new IllegalStateException("mmap of no kind");
                default -> (kind.shared() ? "MAP_SHARED" : "MAP_PRIVATE") + ", " + kind.specName() + " fd";
            };
            return pid + " mmap(" + range(addr, kind.huge()) + ", " + (write ? "PROT_READ|PROT_WRITE" : "PROT_READ") + ", " + flags
                    + (io ? ", VM_IO" : "") + ")";
        }
    }

    /** The range an operation covers: one page, or ({@code pair}) the aligned pair of pages that holds {@code addr}. */
    static String range(Vaddr addr, boolean pair) {
        return pair ? new Vaddr(addr.index() & ~1) + "-" + new Vaddr(addr.index() | 1) : addr.toString();
    }

    /** munmap() of one page, or of the whole aligned pair ({@code pair}: a THP or hugetlb range). */
    record Munmap(Pid pid, Vaddr addr, boolean pair) implements Op {
        public Munmap(Pid pid, Vaddr addr) {
            this(pid, addr, false);
        }

        public EntryPoint entryPoint() {
            return EntryPoint.MUNMAP;
        }

        public String call() {
            return pid + " munmap(" + range(addr, pair) + ")";
        }
    }

    /** {@code steps}: the PMD split that mprotect() of part of a PMD-mapped THP does, in two transitions ({@link dev.mmcheck.model.state.PairStep}). */
    record Mprotect(Pid pid, Vaddr addr, boolean write, boolean pair, boolean steps) implements Op {
        public Mprotect(Pid pid, Vaddr addr, boolean write) {
            this(pid, addr, write, false, false);
        }

        public Mprotect(Pid pid, Vaddr addr, boolean write, boolean pair) {
            this(pid, addr, write, pair, false);
        }

        public EntryPoint entryPoint() {
            return EntryPoint.MPROTECT;
        }

        public String call() {
            return pid + " mprotect(" + range(addr, pair) + ", " + (write ? "PROT_READ|PROT_WRITE" : "PROT_READ") + ")";
        }
    }

    /** madvise() advice the model knows. */
    enum Advice {
        DONTNEED("MADV_DONTNEED"), DONTFORK("MADV_DONTFORK"), DOFORK("MADV_DOFORK"), MERGEABLE("MADV_MERGEABLE"),
        PAGEOUT("MADV_PAGEOUT");

        private final String kernelName;

        Advice(String kernelName) {
            this.kernelName = kernelName;
        }

        public String kernelName() {
            return kernelName;
        }
    }

    record Madvise(Pid pid, Vaddr addr, Advice advice, boolean pair) implements Op {
        public Madvise(Pid pid, Vaddr addr, Advice advice) {
            this(pid, addr, advice, false);
        }

        public EntryPoint entryPoint() {
            return switch (advice) {
                case DONTNEED -> EntryPoint.MADV_DONTNEED;
                case DONTFORK, DOFORK -> EntryPoint.MADV_DONTFORK;
                case MERGEABLE -> EntryPoint.MADV_MERGEABLE;
                case PAGEOUT -> EntryPoint.MADV_PAGEOUT;
            };
        }

        public String call() {
            return pid + " madvise(" + range(addr, pair) + ", " + advice.kernelName() + ")";
        }
    }

    /** Memory pressure: kswapd reclaims the folio mapped at {@code addr} (whoever else maps it). */
    record Reclaim(Pid pid, Vaddr addr, boolean steps) implements Op {
        public Reclaim(Pid pid, Vaddr addr) {
            this(pid, addr, false);
        }

        public EntryPoint entryPoint() {
            return EntryPoint.RECLAIM;
        }

        public String call() {
            return "kswapd reclaims the folio at " + pid + " " + addr;
        }
    }

    /** echo 4 > /proc/pid/clear_refs: start soft-dirty tracking afresh. */
    record ClearSoftDirty(Pid pid) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.CLEAR_REFS_SOFT_DIRTY;
        }

        public String call() {
            return pid + " clear_refs(CLEAR_REFS_SOFT_DIRTY)";
        }
    }

    /** ksmd with use_zero_pages=1 merges the zero-filled page at {@code addr} into the shared zeropage. */
    record KsmZero(Pid pid, Vaddr addr) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.KSM_ZERO;
        }

        public String call() {
            return "ksmd (use_zero_pages) merges " + pid + " " + addr + " with the zeropage";
        }
    }

    /** The process enables s390 storage keys (a KVM guest that uses them): mm_forbids_zeropage() from now on. */
    record EnableSkeys(Pid pid) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.ENABLE_SKEYS;
        }

        public String call() {
            return pid + " s390_enable_skey()";
        }
    }

    /**
     * ksmd merges the page at {@code pid}:{@code addr} (the one it scans second: the KSM page, unless the other is one
     * already) with the one at {@code other}:{@code otherAddr}; {@code steps}: write_protect_page() of the first is
     * split between its PTE clear and its reference check (see {@link dev.mmcheck.model.state.UnmapStep}).
     */
    record KsmMerge(Pid pid, Vaddr addr, Pid other, Vaddr otherAddr, boolean steps) implements Op {
        public KsmMerge(Pid pid, Vaddr addr, Pid other, Vaddr otherAddr) {
            this(pid, addr, other, otherAddr, false);
        }

        public EntryPoint entryPoint() {
            return EntryPoint.KSM_MERGE;
        }

        public String call() {
            return "ksmd merges " + pid + " " + addr + " with " + other + " " + otherAddr;
        }
    }

    /** mremap() of one page to an unmapped page (MREMAP_MAYMOVE|MREMAP_FIXED): the VMA and its PTE move. */
    record Mremap(Pid pid, Vaddr addr, Vaddr to) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.MREMAP;
        }

        public String call() {
            return pid + " mremap(" + addr + " -> " + to + ")";
        }
    }

    /** MADV_COLLAPSE (khugepaged before v6.1) of the THP range that holds {@code addr}. */
    /**
     * MADV_COLLAPSE (khugepaged alike) of the THP range at {@code addr}; {@code steps}: pmdp_collapse_flush() and the
     * isolation, then the copy and the new PMD, as two transitions (see {@link dev.mmcheck.model.state.PairStep}).
     */
    record Collapse(Pid pid, Vaddr addr, boolean steps) implements Op {
        public Collapse(Pid pid, Vaddr addr) {
            this(pid, addr, false);
        }

        public EntryPoint entryPoint() {
            return EntryPoint.COLLAPSE;
        }

        public String call() {
            return pid + " madvise(" + range(addr, true) + ", MADV_COLLAPSE)";
        }
    }

    /** The first half of a migration (move_pages(), compaction, NUMA balancing): the folio at {@code addr} is unmapped. */
    /** {@code steps}: try_to_migrate_one()'s PTE clear and its pinned check apart (see {@link dev.mmcheck.model.state.UnmapStep}). */
    record MigrateStart(Pid pid, Vaddr addr, boolean steps) implements Op {
        public MigrateStart(Pid pid, Vaddr addr) {
            this(pid, addr, false);
        }

        public EntryPoint entryPoint() {
            return EntryPoint.MIGRATE_START;
        }

        public String call() {
            return "migrate_pages: unmap the folio at " + pid + " " + addr;
        }
    }

    /** The second half: the folio under migration is moved (or restored) and mapped again. */
    record MigrateFinish(Pid pid) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.MIGRATE_FINISH;
        }

        public String call() {
            return "migrate_pages: move and remap the folio under migration";
        }
    }

    /** A device driver migrates the page at {@code addr} to its private memory (HMM migrate_vma). */
    record MigrateToDevice(Pid pid, Vaddr addr) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.MIGRATE_TO_DEVICE;
        }

        public String call() {
            return "a driver migrates " + pid + " " + addr + " to device-private memory";
        }
    }

    /** A device driver takes the page at {@code addr} for exclusive (atomic) device access. */
    record MakeDeviceExclusive(Pid pid, Vaddr addr) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.MAKE_DEVICE_EXCLUSIVE;
        }

        public String call() {
            return "a driver makes " + pid + " " + addr + " device-exclusive";
        }
    }

    /** A memory error on the page at {@code addr} (MADV_HWPOISON). */
    record MemoryFailure(Pid pid, Vaddr addr) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.MEMORY_FAILURE;
        }

        public String call() {
            return "memory_failure on the page at " + pid + " " + addr;
        }
    }

    /**
     * UFFDIO_API + UFFDIO_REGISTER of the VMA that holds {@code addr}: {@code modes} are {@link
     * dev.mmcheck.model.state.Vma#UFFD_WP} / UFFD_MINOR / UFFD_MISSING bits, {@code features} {@link
     * dev.mmcheck.model.state.UffdState} feature bits.
     */
    record UffdRegister(Pid pid, Vaddr addr, int modes, int features) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.UFFDIO_REGISTER;
        }

        public String call() {
            StringBuilder m = new StringBuilder();
            if ((modes & dev.mmcheck.model.state.Vma.UFFD_MISSING) != 0) m.append("|MISSING");
            if ((modes & dev.mmcheck.model.state.Vma.UFFD_WP) != 0) m.append("|WP");
            if ((modes & dev.mmcheck.model.state.Vma.UFFD_MINOR) != 0) m.append("|MINOR");
            StringBuilder f = new StringBuilder();
            if ((features & dev.mmcheck.model.state.UffdState.EVENT_FORK) != 0) f.append("|EVENT_FORK");
            if ((features & dev.mmcheck.model.state.UffdState.WP_UNPOPULATED) != 0) f.append("|WP_UNPOPULATED");
            if ((features & dev.mmcheck.model.state.UffdState.WP_ASYNC) != 0) f.append("|WP_ASYNC");
            return pid + " UFFDIO_REGISTER(" + addr + ", MODE_" + m.substring(1)
                    + (f.isEmpty() ? "" : "; UFFDIO_API features " + f.substring(1)) + ")";
        }
    }

    /** UFFDIO_UNREGISTER of the VMA that holds {@code addr}. */
    record UffdUnregister(Pid pid, Vaddr addr) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.UFFDIO_UNREGISTER;
        }

        public String call() {
            return pid + " UFFDIO_UNREGISTER(" + addr + ")";
        }
    }

    /** The monitor's UFFDIO_WRITEPROTECT of the page at {@code addr}: MODE_WP ({@code on}) or resolve. */
    record UffdWriteprotect(Pid pid, Vaddr addr, boolean on) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.UFFDIO_WRITEPROTECT;
        }

        public String call() {
            return pid + " UFFDIO_WRITEPROTECT(" + addr + (on ? ", MODE_WP)" : ", 0)");
        }
    }

    /** The monitor's UFFDIO_ZEROPAGE at {@code addr} (resolves a missing fault with the zeropage). */
    record UffdZeropage(Pid pid, Vaddr addr) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.UFFDIO_ZEROPAGE;
        }

        public String call() {
            return pid + " UFFDIO_ZEROPAGE(" + addr + ")";
        }
    }

    /** The monitor's UFFDIO_CONTINUE at {@code addr} (resolves a minor fault), with MODE_WP if {@code wp}. */
    record UffdContinue(Pid pid, Vaddr addr, boolean wp) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.UFFDIO_CONTINUE;
        }

        public String call() {
            return pid + " UFFDIO_CONTINUE(" + addr + (wp ? ", MODE_WP)" : ")");
        }
    }

    /** swapoff of the swap device: every swap PTE of every process is swapped back in. {@code pid} runs it. */
    record Swapoff(Pid pid) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.SWAPOFF;
        }

        public String call() {
            return pid + " swapoff()";
        }
    }

    /**
     * {@code pid} writes {@code value} at {@code target}'s {@code addr} through /proc/{@code target}/mem: GUP with
     * FOLL_FORCE|FOLL_WRITE, then the copy into the page it returned. It takes at least two transitions (GUP, then the
     * copy and put_page()); with {@code steps}, GUP's follow_page_pte()/faultin_page() retries are transitions of their
     * own, as the kernel drops the page-table lock between them (other operations may run in between).
     */
    record ProcMemWrite(Pid pid, Pid target, Vaddr addr, int value, boolean steps) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.PROC_MEM_WRITE;
        }

        public String call() {
            return pid + " " + String.format("pwrite(/proc/%s/mem, 0x%02x, %s)", target.equals(pid) ? "self" : target.toString(), value, addr);
        }
    }

    /** {@code pid} creates an i915 userptr object over {@code addr} (UNSYNCHRONIZED: no notifier; PROBE: probe_range()). */
    record UserptrCreate(Pid pid, Vaddr addr, boolean unsynchronized, boolean probe) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.USERPTR_CREATE;
        }

        public String call() {
            String flags = (unsynchronized ? "UNSYNCHRONIZED" : "") + (probe ? (unsynchronized ? "|" : "") + "PROBE" : "");
            return pid + " ioctl(I915_GEM_USERPTR, " + addr + (flags.isEmpty() ? "" : ", " + flags) + ")";
        }
    }

    /** {@code pid} submits a GPU job using its userptr object: submit_init then, as a second transition, submit_done. */
    record UserptrSubmit(Pid pid) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.USERPTR_SUBMIT;
        }

        public String call() {
            return pid + " ioctl(I915_GEM_EXECBUFFER2)";
        }
    }

    /** The GPU job on {@code owner}'s userptr object writes {@code value} into the page it holds and completes. */
    record UserptrGpuWrite(Pid pid, Pid owner, int value) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.USERPTR_GPU_WRITE;
        }

        public String call() {
            return String.format("GPU %s's job writes 0x%02x and completes", owner, value);
        }
    }

    /** A driver of this process mirrors {@code addr} with hmm_range_fault() (no pin) and an interval notifier. */
    record HmmMirror(Pid pid, Vaddr addr) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.HMM_MIRROR;
        }

        public String call() {
            return pid + " driver mirrors " + addr + " (mmu_interval_notifier_insert)";
        }
    }

    /** The mirror's device faults: hmm_range_fault() of the page, then (a second transition) the device page table. */
    record HmmFault(Pid pid, boolean write) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.HMM_FAULT;
        }

        public String call() {
            return pid + " device fault: hmm_range_fault(" + (write ? "HMM_PFN_REQ_FAULT|HMM_PFN_REQ_WRITE" : "HMM_PFN_REQ_FAULT") + ")";
        }
    }

    /** The mirror's device writes {@code value} through its page table. */
    record HmmDeviceWrite(Pid pid, int value) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.HMM_DEVICE_WRITE;
        }

        public String call() {
            return pid + " " + String.format("device writes 0x%02x through its mirror", value);
        }
    }

    /** Memory pressure evicts the file or shmem page that {@code pid} maps at {@code addr} from the page cache. */
    record Evict(Pid pid, Vaddr addr) implements Op {
        public EntryPoint entryPoint() {
            return EntryPoint.EVICT;
        }

        public String call() {
            return "reclaim evicts the page-cache page " + pid + " maps at " + addr;
        }
    }

    static String describe(GupRef ref, String labelName) {
        String where = ref.owner() + " " + ref.addr() + " " + ref.flagsString();
        return labelName.isEmpty() ? where : labelName + ": " + where;
    }
}
