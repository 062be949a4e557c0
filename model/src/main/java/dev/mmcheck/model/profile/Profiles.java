package dev.mmcheck.model.profile;

import static dev.mmcheck.model.profile.DecisionPoint.ANON_EXCLUSIVE;
import static dev.mmcheck.model.profile.DecisionPoint.CLEAR_REFS_PINNED;
import static dev.mmcheck.model.profile.DecisionPoint.FORK_MAYBE_PINNED;
import static dev.mmcheck.model.profile.DecisionPoint.GUP_COW_BREAK;
import static dev.mmcheck.model.profile.DecisionPoint.KSM_WRITE_PROTECT;
import static dev.mmcheck.model.profile.DecisionPoint.MPROTECT_UPGRADE;
import static dev.mmcheck.model.profile.DecisionPoint.PIN_UNSHARE;
import static dev.mmcheck.model.profile.DecisionPoint.PTE_SPECIAL;
import static dev.mmcheck.model.profile.DecisionPoint.SOFT_DIRTY;
import static dev.mmcheck.model.profile.DecisionPoint.SWAP_IN_REUSE;
import static dev.mmcheck.model.profile.DecisionPoint.SWAP_OUT_PINNED;
import static dev.mmcheck.model.profile.DecisionPoint.SWAP_PTE_EXCLUSIVE;
import static dev.mmcheck.model.profile.DecisionPoint.WP_REUSE;

import com.google.common.collect.ImmutableMap;
import dev.mmcheck.model.profile.Decisions.AnonExclusive;
import dev.mmcheck.model.profile.Decisions.ClearRefsPinned;
import dev.mmcheck.model.profile.Decisions.ForkPinned;
import dev.mmcheck.model.profile.Decisions.GupCowBreak;
import dev.mmcheck.model.profile.Decisions.KsmWriteProtect;
import dev.mmcheck.model.profile.Decisions.MprotectUpgrade;
import dev.mmcheck.model.profile.Decisions.PinUnshare;
import dev.mmcheck.model.profile.Decisions.PteSpecial;
import dev.mmcheck.model.profile.Decisions.SoftDirty;
import dev.mmcheck.model.profile.Decisions.SwapInReuse;
import dev.mmcheck.model.profile.Decisions.SwapOutPinned;
import dev.mmcheck.model.profile.Decisions.SwapPteExclusive;
import dev.mmcheck.model.profile.Decisions.WpReuse;
import java.util.List;
import java.util.Optional;

/**
 * The kernel releases the model knows, each written as the previous one plus what changed. The
 * sources each choice was checked against are listed in docs/kernel-sources/.
 */
public final class Profiles {
    private Profiles() {
    }

    /** mapcount-based reuse; fork shares pinned pages; GUP never breaks COW for reads. */
    public static final Profile V5_7 = new Profile("v5.7", "v5.7", ImmutableMap.<DecisionPoint<?>, Decision>builder()
            .put(WP_REUSE, WpReuse.REUSE_SWAP_PAGE)
            .put(GUP_COW_BREAK, GupCowBreak.ONLY_FOLL_WRITE)
            .put(PIN_UNSHARE, PinUnshare.NEVER)
            .put(FORK_MAYBE_PINNED, ForkPinned.SHARE)
            .put(ANON_EXCLUSIVE, AnonExclusive.ABSENT)
            .put(SWAP_PTE_EXCLUSIVE, SwapPteExclusive.ABSENT)
            .put(SWAP_IN_REUSE, SwapInReuse.REUSE_SWAP_PAGE)
            .put(SWAP_OUT_PINNED, SwapOutPinned.UNMAP)
            .put(MPROTECT_UPGRADE, MprotectUpgrade.NEVER_PRIVATE)
            .put(CLEAR_REFS_PINNED, ClearRefsPinned.WRPROTECT)
            .put(KSM_WRITE_PROTECT, KsmWriteProtect.REFCOUNT_CHECK)
            // x86_64, the model's default arch: ARCH_HAS_PTE_SPECIAL and soft-dirty in every era modelled
            .put(PTE_SPECIAL, PteSpecial.PRESENT)
            .put(SOFT_DIRTY, SoftDirty.PRESENT)
            .build());

    /** 17839856fd58: GUP of a COW mapping breaks COW ("COW can break either way"). */
    public static final Profile V5_8 = release("v5.8", V5_7, ImmutableMap.of(
            GUP_COW_BREAK, GupCowBreak.GET_OR_PIN_IN_COW_MAPPING));

    /** 09854ba94c6a page_count reuse; a308c71bf1e6 reverts the GUP COW break; 70e806e4e645 early COW at fork. */
    public static final Profile V5_9 = release("v5.9", V5_8, ImmutableMap.of(
            WP_REUSE, WpReuse.PAGE_COUNT,
            GUP_COW_BREAK, GupCowBreak.ONLY_FOLL_WRITE,
            FORK_MAYBE_PINNED, ForkPinned.COPY));

    /** 9348b73c2e1b clear_refs leaves pinned pages alone; COW fixes part 1 (c145e0b47c77 and friends). */
    public static final Profile V5_18 = release("v5.18", V5_9, ImmutableMap.of(
            WP_REUSE, WpReuse.PAGE_COUNT_FREE_SWAP,
            SWAP_IN_REUSE, SwapInReuse.PAGE_COUNT,
            CLEAR_REFS_PINNED, ClearRefsPinned.SKIP_MAYBE_PINNED));

    /** COW fixes part 2: PG_anon_exclusive (6c287605fd56), unshare on R/O pin, swp exclusive bit. */
    public static final Profile V5_19 = release("v5.19", V5_18, ImmutableMap.of(
            WP_REUSE, WpReuse.ANON_EXCLUSIVE,
            PIN_UNSHARE, PinUnshare.ANON_NOT_EXCLUSIVE,
            ANON_EXCLUSIVE, AnonExclusive.TRACKED,
            SWAP_PTE_EXCLUSIVE, SwapPteExclusive.PRESENT,
            SWAP_IN_REUSE, SwapInReuse.EXCLUSIVE,
            SWAP_OUT_PINNED, SwapOutPinned.REFUSE,
            KSM_WRITE_PROTECT, KsmWriteProtect.REFCOUNT_CHECK_AND_SHARE));

    /**
     * The newest source read (v7.0): v6.0 64fe24a3e05e mprotect upgrade of exclusive anon pages, v6.2
     * 8d6a0ac09a16 unshare of anything in a COW mapping for R/O longterm pins, and the swap-in rule
     * that maps exclusive pages writable on read faults.
     */
    public static final Profile V7_0 = release("v7.0", V5_19, ImmutableMap.of(
            MPROTECT_UPGRADE, MprotectUpgrade.ANON_EXCLUSIVE,
            PIN_UNSHARE, PinUnshare.ALSO_LONGTERM_NON_ANON,
            SWAP_IN_REUSE, SwapInReuse.EXCLUSIVE_MAP_WRITABLE));

    public static final List<Profile> ALL = List.of(V5_7, V5_8, V5_9, V5_18, V5_19, V7_0);

    public static final Profile NEWEST = V7_0;

    public static Optional<Profile> named(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static Profile release(String name, Profile base, ImmutableMap<DecisionPoint<?>, Decision> changes) {
        ImmutableMap.Builder<DecisionPoint<?>, Decision> b = ImmutableMap.builder();
        for (DecisionPoint<?> p : DecisionPoint.ALL) {
            b.put(p, changes.containsKey(p) ? changes.get(p) : base.choices().get(p));
        }
        return new Profile(name, name, b.build());
    }
}
