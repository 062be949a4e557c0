package dev.mmcheck.model.state;

import com.google.common.collect.ImmutableList;

/**
 * A process and its mm_struct: one VMA and one PTE per virtual page.
 *
 * @param hasPinned MMF_HAS_PINNED (mm->has_pinned in v5.9-v5.12): set by the first FOLL_PIN on this mm, never cleared
 */
public record Process(boolean alive, boolean hasPinned, ImmutableList<Vma> vmas, ImmutableList<Pte> ptes) {

    public static Process dead(int pages) {
        return new Process(false, false, ImmutableList.copyOf(java.util.Collections.nCopies(pages, Vma.UNMAPPED)),
                ImmutableList.copyOf(java.util.Collections.nCopies(pages, (Pte) Pte.NONE)));
    }

    public Vma vma(Vaddr a) {
        return vmas.get(a.index());
    }

    public Pte pte(Vaddr a) {
        return ptes.get(a.index());
    }
}
