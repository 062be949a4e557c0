package dev.mmcheck.model.state;

import com.google.common.collect.ImmutableList;

/**
 * A process and its mm_struct: one VMA and one PTE per virtual page.
 *
 * @param hasPinned       MMF_HAS_PINNED (mm->has_pinned in v5.9-v5.13): set by the first FOLL_PIN on this mm, never cleared
 * @param forbidsZeropage mm_forbids_zeropage() (s390x): the mm enabled storage keys, so no fault maps the zeropage
 * @param pmds            one PMD per aligned pair of pages (A-B, C-D); {@link Pmd#NONE} unless a large folio or the
 *                        huge zeropage is PMD-mapped there
 * @param uffd            the process's userfaultfd context, {@link UffdState#NONE} without one
 * @param extras          what most processes never have: operations between their steps and driver objects, in one
 *                        record ({@link Extras#NONE} without any) so that they cost a process one field
 */
public record Process(boolean alive, boolean hasPinned, boolean forbidsZeropage, ImmutableList<Vma> vmas,
                      ImmutableList<Pte> ptes, ImmutableList<Pmd> pmds, UffdState uffd, Extras extras) {

    /**
     * @param gupLoop      a /proc/PID/mem write this process has in flight, {@link GupLoop#NONE} without one
     * @param userptr      this process's i915 userptr object, {@link Userptr#NONE} without one
     * @param fastWalk     a GUP-fast walk of this mm between its steps, {@link FastWalk#NONE} without one
     * @param forkStep     a fork() of this mm between its steps, {@link ForkStep#NONE} without one
     * @param collapseStep a collapse of this mm between its steps, {@link PairStep#NONE} without one
     * @param unmapStep    a reclaim's try_to_unmap_one() of this mm between its steps, {@link UnmapStep#NONE} without one
     * @param reuseStep    a write fault's THP reuse check between its steps, {@link ReuseStep#NONE} without one
     * @param splitStep    a PMD split between its steps, {@link PairStep#NONE} without one
     * @param hmm          this process's hmm_range_fault() mirror driver, {@link HmmMirror#NONE} without one
     */
    public record Extras(GupLoop gupLoop, Userptr userptr, FastWalk fastWalk, ForkStep forkStep, PairStep collapseStep,
                         UnmapStep unmapStep, ReuseStep reuseStep, PairStep splitStep, HmmMirror hmm) {
        public static final Extras NONE = new Extras(GupLoop.NONE, Userptr.NONE, FastWalk.NONE, ForkStep.NONE, PairStep.NONE,
                UnmapStep.NONE, ReuseStep.NONE, PairStep.NONE, HmmMirror.NONE);

        Extras withGupLoop(GupLoop g) {
            return new Extras(g, userptr, fastWalk, forkStep, collapseStep, unmapStep, reuseStep, splitStep, hmm);
        }

        Extras withUserptr(Userptr u) {
            return new Extras(gupLoop, u, fastWalk, forkStep, collapseStep, unmapStep, reuseStep, splitStep, hmm);
        }

        Extras withFastWalk(FastWalk w) {
            return new Extras(gupLoop, userptr, w, forkStep, collapseStep, unmapStep, reuseStep, splitStep, hmm);
        }

        Extras withForkStep(ForkStep f) {
            return new Extras(gupLoop, userptr, fastWalk, f, collapseStep, unmapStep, reuseStep, splitStep, hmm);
        }

        Extras withCollapseStep(PairStep c) {
            return new Extras(gupLoop, userptr, fastWalk, forkStep, c, unmapStep, reuseStep, splitStep, hmm);
        }

        Extras withUnmapStep(UnmapStep u) {
            return new Extras(gupLoop, userptr, fastWalk, forkStep, collapseStep, u, reuseStep, splitStep, hmm);
        }

        Extras withReuseStep(ReuseStep r) {
            return new Extras(gupLoop, userptr, fastWalk, forkStep, collapseStep, unmapStep, r, splitStep, hmm);
        }

        Extras withSplitStep(PairStep sp) {
            return new Extras(gupLoop, userptr, fastWalk, forkStep, collapseStep, unmapStep, reuseStep, sp, hmm);
        }

        Extras withHmm(HmmMirror h) {
            return new Extras(gupLoop, userptr, fastWalk, forkStep, collapseStep, unmapStep, reuseStep, splitStep, h);
        }

        /** The same value as {@link #NONE} is {@link #NONE} itself, so that an unused process shares it. */
        Extras canonical() {
            return equals(NONE) ? NONE : this;
        }
    }

    public Process(boolean alive, boolean hasPinned, boolean forbidsZeropage, ImmutableList<Vma> vmas, ImmutableList<Pte> ptes,
                   ImmutableList<Pmd> pmds, UffdState uffd) {
        this(alive, hasPinned, forbidsZeropage, vmas, ptes, pmds, uffd, Extras.NONE);
    }

    public Process(boolean alive, boolean hasPinned, boolean forbidsZeropage, ImmutableList<Vma> vmas, ImmutableList<Pte> ptes) {
        this(alive, hasPinned, forbidsZeropage, vmas, ptes, noPmds(ptes.size()), UffdState.NONE);
    }

    public Process(boolean alive, boolean hasPinned, boolean forbidsZeropage, ImmutableList<Vma> vmas, ImmutableList<Pte> ptes,
                   ImmutableList<Pmd> pmds) {
        this(alive, hasPinned, forbidsZeropage, vmas, ptes, pmds, UffdState.NONE);
    }

    public GupLoop gupLoop() {
        return extras.gupLoop();
    }

    public Userptr userptr() {
        return extras.userptr();
    }

    public FastWalk fastWalk() {
        return extras.fastWalk();
    }

    public ForkStep forkStep() {
        return extras.forkStep();
    }

    public PairStep collapseStep() {
        return extras.collapseStep();
    }

    public UnmapStep unmapStep() {
        return extras.unmapStep();
    }

    public ReuseStep reuseStep() {
        return extras.reuseStep();
    }

    public PairStep splitStep() {
        return extras.splitStep();
    }

    public HmmMirror hmm() {
        return extras.hmm();
    }

    private static final ImmutableList<Pmd> NO_PMDS_1 = ImmutableList.of(Pmd.NONE);
    private static final ImmutableList<Pmd> NO_PMDS_2 = ImmutableList.of(Pmd.NONE, Pmd.NONE);

    static ImmutableList<Pmd> noPmds(int pages) {
        return pages <= 2 ? NO_PMDS_1 : NO_PMDS_2;
    }

    public static Process dead(int pages) {
        return new Process(false, false, false, ImmutableList.copyOf(java.util.Collections.nCopies(pages, Vma.UNMAPPED)),
                ImmutableList.copyOf(java.util.Collections.nCopies(pages, (Pte) Pte.NONE)));
    }

    public Process withVmas(ImmutableList<Vma> v) {
        return new Process(alive, hasPinned, forbidsZeropage, v, ptes, pmds, uffd, extras);
    }

    public Process withPtes(ImmutableList<Pte> p) {
        return new Process(alive, hasPinned, forbidsZeropage, vmas, p, pmds, uffd, extras);
    }

    public Process withPmds(ImmutableList<Pmd> p) {
        return new Process(alive, hasPinned, forbidsZeropage, vmas, ptes, p, uffd, extras);
    }

    public Process withUffd(UffdState u) {
        return new Process(alive, hasPinned, forbidsZeropage, vmas, ptes, pmds, u, extras);
    }

    public Process withGupLoop(GupLoop g) {
        return new Process(alive, hasPinned, forbidsZeropage, vmas, ptes, pmds, uffd, extras.withGupLoop(g).canonical());
    }

    public Process withUserptr(Userptr u) {
        return new Process(alive, hasPinned, forbidsZeropage, vmas, ptes, pmds, uffd, extras.withUserptr(u).canonical());
    }

    public Process withFastWalk(FastWalk w) {
        return new Process(alive, hasPinned, forbidsZeropage, vmas, ptes, pmds, uffd, extras.withFastWalk(w).canonical());
    }

    public Process withForkStep(ForkStep f) {
        return new Process(alive, hasPinned, forbidsZeropage, vmas, ptes, pmds, uffd, extras.withForkStep(f).canonical());
    }

    public Process withCollapseStep(PairStep c) {
        return new Process(alive, hasPinned, forbidsZeropage, vmas, ptes, pmds, uffd, extras.withCollapseStep(c).canonical());
    }

    public Process withUnmapStep(UnmapStep u) {
        return new Process(alive, hasPinned, forbidsZeropage, vmas, ptes, pmds, uffd, extras.withUnmapStep(u).canonical());
    }

    public Process withReuseStep(ReuseStep r) {
        return new Process(alive, hasPinned, forbidsZeropage, vmas, ptes, pmds, uffd, extras.withReuseStep(r).canonical());
    }

    public Process withHmm(HmmMirror h) {
        return new Process(alive, hasPinned, forbidsZeropage, vmas, ptes, pmds, uffd, extras.withHmm(h).canonical());
    }

    public Process withSplitStep(PairStep sp) {
        return new Process(alive, hasPinned, forbidsZeropage, vmas, ptes, pmds, uffd, extras.withSplitStep(sp).canonical());
    }

    /** A fork or a collapse of this mm holds its mmap_lock for write between its steps. */
    public boolean mmapWriteHeld() {
        return extras != Extras.NONE && (extras.forkStep().active() || extras.collapseStep().active());
    }

    /**
     * An operation of this mm split into steps holds a lock between them (mmap_lock, a page-table lock, the page lock):
     * the slow path of GUP waits, and only lockless operations and the steps of split operations run.
     */
    public boolean lockHeld() {
        return extras != Extras.NONE && (mmapWriteHeld() || extras.unmapStep().active() || extras.reuseStep().active()
                || extras.splitStep().active());
    }

    public Process withHasPinned() {
        return new Process(alive, true, forbidsZeropage, vmas, ptes, pmds, uffd, extras);
    }

    public Process withForbidsZeropage() {
        return new Process(alive, hasPinned, true, vmas, ptes, pmds, uffd, extras);
    }

    /** The PMD over the pair of pages that holds {@code a}. */
    public Pmd pmd(Vaddr a) {
        return pmds.get(a.index() / 2);
    }

    /**
     * Whether this process's pages stand each on its own: no PMD (which maps a pair), no userfaultfd context and no
     * operation in flight. What a page renaming ({@link MmState#pagesPermuted}) and the partial-order reduction's
     * footprints ({@code Exploration.footprint}) both need.
     */
    public boolean pageWise() {
        return !anyPmd() && uffd.equals(UffdState.NONE) && (extras == Extras.NONE || extras.equals(Extras.NONE));
    }

    public boolean anyPmd() {
        for (Pmd p : pmds) {
            if (!(p instanceof Pmd.None)) return true;
        }
        return false;
    }

    public Vma vma(Vaddr a) {
        return vmas.get(a.index());
    }

    public Pte pte(Vaddr a) {
        return ptes.get(a.index());
    }
}
