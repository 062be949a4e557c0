package dev.mmcheck.model.state;

import com.google.common.collect.ImmutableList;

/**
 * A process and its mm_struct: one VMA and one PTE per virtual page.
 *
 * @param hasPinned       MMF_HAS_PINNED (mm->has_pinned in v5.9-v5.13): set by the first FOLL_PIN on this mm, never cleared
 * @param forbidsZeropage mm_forbids_zeropage() (s390x): the mm enabled storage keys, so no fault maps the zeropage
 */
public record Process(boolean alive, boolean hasPinned, boolean forbidsZeropage, ImmutableList<Vma> vmas,
                      ImmutableList<Pte> ptes) {

    public static Process dead(int pages) {
        return new Process(false, false, false, ImmutableList.copyOf(java.util.Collections.nCopies(pages, Vma.UNMAPPED)),
                ImmutableList.copyOf(java.util.Collections.nCopies(pages, (Pte) Pte.NONE)));
    }

    public Process withVmas(ImmutableList<Vma> v) {
        return new Process(alive, hasPinned, forbidsZeropage, v, ptes);
    }

    public Process withPtes(ImmutableList<Pte> p) {
        return new Process(alive, hasPinned, forbidsZeropage, vmas, p);
    }

    public Vma vma(Vaddr a) {
        return vmas.get(a.index());
    }

    public Pte pte(Vaddr a) {
        return ptes.get(a.index());
    }
}
