package dev.mmcheck.arch.layout;

import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Decisions.PteSpecial;
import dev.mmcheck.model.profile.Decisions.SoftDirty;
import dev.mmcheck.model.profile.Decisions.StorageKeys;
import dev.mmcheck.model.profile.Decisions.SwapPteExclusive;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Release;

/**
 * What an architecture offers the MM code, as the kernel's config symbols say.
 *
 * @param pteSpecial        CONFIG_ARCH_HAS_PTE_SPECIAL
 * @param swpExclusive      __HAVE_ARCH_PTE_SWP_EXCLUSIVE (pte_swp_exclusive() for the arch, since the macro went away)
 * @param swpExclusiveSince the release from which the arch has it, when later than the generic v5.19 ("" otherwise)
 * @param uffdWp            CONFIG_HAVE_ARCH_USERFAULTFD_WP
 * @param softDirty         CONFIG_HAVE_ARCH_SOFT_DIRTY
 * @param forbidsZeropage   the arch defines mm_forbids_zeropage() (s390x: storage keys)
 */
public record ArchFeatures(String arch, boolean pteSpecial, boolean swpExclusive, String swpExclusiveSince, boolean uffdWp,
                           boolean softDirty, boolean forbidsZeropage) {

    /**
     * The profile as it runs on this arch: without a swap exclusive bit (or before the release that added it to the
     * arch) swap-out forgets exclusivity (mm/rmap.c: try_to_unmap_one() only sets pte_swp_mkexclusive() where the arch
     * has it); without pte_special the zeropage's PTE carries no special bit; without soft-dirty PTEs carry none; with
     * mm_forbids_zeropage() a process can enable storage keys.
     */
    public Profile adapt(Profile p) {
        Profile out = p;
        boolean swp = swpExclusive && (swpExclusiveSince.isEmpty()
                || Release.parse(p.release()).atLeast(Release.parse(swpExclusiveSince)));
        if (!swp && p.swapPteExclusive() == SwapPteExclusive.PRESENT) {
            out = out.with(DecisionPoint.SWAP_PTE_EXCLUSIVE, SwapPteExclusive.ABSENT);
        }
        if (!pteSpecial) out = out.with(DecisionPoint.PTE_SPECIAL, PteSpecial.ABSENT);
        if (!softDirty) out = out.with(DecisionPoint.SOFT_DIRTY, SoftDirty.ABSENT);
        if (forbidsZeropage) out = out.with(DecisionPoint.STORAGE_KEYS, StorageKeys.PRESENT);
        return out;
    }
}
