package dev.mmcheck.arch.layout;

import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Decisions.PteSpecial;
import dev.mmcheck.model.profile.Decisions.SoftDirty;
import dev.mmcheck.model.profile.Decisions.SwapPteExclusive;
import dev.mmcheck.model.profile.Profile;

/**
 * What an architecture offers the MM code, as the kernel's config symbols say.
 *
 * @param pteSpecial   CONFIG_ARCH_HAS_PTE_SPECIAL
 * @param swpExclusive __HAVE_ARCH_PTE_SWP_EXCLUSIVE
 * @param uffdWp       CONFIG_HAVE_ARCH_USERFAULTFD_WP
 * @param softDirty    CONFIG_HAVE_ARCH_SOFT_DIRTY
 */
public record ArchFeatures(String arch, boolean pteSpecial, boolean swpExclusive, boolean uffdWp, boolean softDirty) {

    /**
     * The profile as it runs on this arch: without a swap exclusive bit swap-out forgets exclusivity
     * (mm/rmap.c: try_to_unmap_one() only sets pte_swp_mkexclusive() where the arch has it); without
     * pte_special the zeropage's PTE carries no special bit; without soft-dirty PTEs carry none.
     */
    public Profile adapt(Profile p) {
        Profile out = p;
        if (!swpExclusive && p.swapPteExclusive() == SwapPteExclusive.PRESENT) {
            out = out.with(DecisionPoint.SWAP_PTE_EXCLUSIVE, SwapPteExclusive.ABSENT);
        }
        if (!pteSpecial) out = out.with(DecisionPoint.PTE_SPECIAL, PteSpecial.ABSENT);
        if (!softDirty) out = out.with(DecisionPoint.SOFT_DIRTY, SoftDirty.ABSENT);
        return out;
    }
}
