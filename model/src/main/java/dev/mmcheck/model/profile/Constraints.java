package dev.mmcheck.model.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Choices that only make sense together. A rule that reads PG_anon_exclusive cannot run in a profile that never sets
 * it (before v5.19): with {@code pin-unshare = anon-not-exclusive} on v5.18 every R/O pin would unshare forever. A
 * profile that breaks one of these is refused with a message naming both points, before any state is explored. Every
 * release on the timeline satisfies them all (TimelineTest checks it).
 */
public final class Constraints {
    private Constraints() {
    }

    /**
     * {@code point} making one of {@code choices} needs {@code needs} to make one of {@code allowed}, because of
     * {@code why}.
     */
    public record Rule(DecisionPoint<?> point, Set<? extends Decision> choices, DecisionPoint<?> needs, Set<? extends Decision> allowed,
                       String why) {
    }

    private static final String READS_EXCLUSIVE = "it reads PG_anon_exclusive, which only anon-exclusive = tracked sets";

    public static final List<Rule> RULES = List.of(
            new Rule(DecisionPoint.WP_REUSE, Set.of(Decisions.WpReuse.ANON_EXCLUSIVE), DecisionPoint.ANON_EXCLUSIVE,
                    Set.of(Decisions.AnonExclusive.TRACKED), "do_wp_page() reuses by PageAnonExclusive: " + READS_EXCLUSIVE),
            new Rule(DecisionPoint.PIN_UNSHARE, Set.of(Decisions.PinUnshare.ANON_NOT_EXCLUSIVE, Decisions.PinUnshare.ALSO_LONGTERM_NON_ANON),
                    DecisionPoint.ANON_EXCLUSIVE, Set.of(Decisions.AnonExclusive.TRACKED),
                    "gup_must_unshare() asks for an unshare fault until the page is exclusive: " + READS_EXCLUSIVE),
            new Rule(DecisionPoint.SWAP_IN_REUSE, Set.of(Decisions.SwapInReuse.EXCLUSIVE, Decisions.SwapInReuse.EXCLUSIVE_MAP_WRITABLE),
                    DecisionPoint.ANON_EXCLUSIVE, Set.of(Decisions.AnonExclusive.TRACKED),
                    "do_swap_page() maps RMAP_EXCLUSIVE from the swap PTE's exclusive bit: " + READS_EXCLUSIVE),
            new Rule(DecisionPoint.SWAP_PTE_EXCLUSIVE, Set.of(Decisions.SwapPteExclusive.PRESENT), DecisionPoint.ANON_EXCLUSIVE,
                    Set.of(Decisions.AnonExclusive.TRACKED), "pte_swp_mkexclusive() records PG_anon_exclusive: " + READS_EXCLUSIVE),
            new Rule(DecisionPoint.SWAP_OUT_PINNED, Set.of(Decisions.SwapOutPinned.REFUSE), DecisionPoint.ANON_EXCLUSIVE,
                    Set.of(Decisions.AnonExclusive.TRACKED), "page_try_share_anon_rmap() clears PG_anon_exclusive: " + READS_EXCLUSIVE),
            new Rule(DecisionPoint.MPROTECT_UPGRADE, Set.of(Decisions.MprotectUpgrade.ANON_EXCLUSIVE, Decisions.MprotectUpgrade.ANON_EXCLUSIVE_DIRTY,
                    Decisions.MprotectUpgrade.FOLIO_NOT_MAPPED_SHARED), DecisionPoint.ANON_EXCLUSIVE, Set.of(Decisions.AnonExclusive.TRACKED),
                    "can_change_pte_writable() asks PageAnonExclusive: " + READS_EXCLUSIVE),
            new Rule(DecisionPoint.KSM_WRITE_PROTECT, Set.of(Decisions.KsmWriteProtect.REFCOUNT_CHECK_AND_SHARE), DecisionPoint.ANON_EXCLUSIVE,
                    Set.of(Decisions.AnonExclusive.TRACKED), "write_protect_page() shares an exclusive page first: " + READS_EXCLUSIVE),
            new Rule(DecisionPoint.THP_WP_REUSE, Set.of(Decisions.ThpWpReuse.ANON_EXCLUSIVE_SPLIT), DecisionPoint.ANON_EXCLUSIVE,
                    Set.of(Decisions.AnonExclusive.TRACKED), "do_huge_pmd_wp_page() reuses by PageAnonExclusive(head): " + READS_EXCLUSIVE),
            new Rule(DecisionPoint.UFFD_WP_UNPOPULATED, Set.of(Decisions.UffdWpUnpopulated.AVAILABLE), DecisionPoint.UFFD_WP,
                    Set.of(Decisions.UffdWp.ANON_SHMEM, Decisions.UffdWp.SEED_SPECIAL_PTE),
                    "WP_UNPOPULATED installs PTE markers, which need uffd-wp with markers (anon-shmem)"),
            new Rule(DecisionPoint.UFFD_WP_ASYNC, Set.of(Decisions.UffdWpAsync.AVAILABLE), DecisionPoint.UFFD_WP,
                    Set.of(Decisions.UffdWp.ANON, Decisions.UffdWp.ANON_SHMEM, Decisions.UffdWp.SEED_SPECIAL_PTE, Decisions.UffdWp.SHMEM_NO_MARKER),
                    "WP_ASYNC is a mode of uffd-wp, which this profile does not have"));

    /** A broken rule in a profile: what the first point chose and what the needed point has. */
    public record Conflict(Rule rule, Decision chosen, Decision has, String profile) {
        public String message() {
            return rule.point().name() + " = " + chosen.specName() + " needs " + rule.needs().name() + " = "
                    + String.join(" or ", rule.allowed().stream().map(Decision::specName).sorted().toList()) + " (" + rule.why()
                    + "), but " + profile + " has " + rule.needs().name() + " = " + has.specName();
        }
    }

    /** Every broken rule; empty if the profile is consistent. */
    public static List<Conflict> conflicts(Profile p) {
        List<Conflict> out = new ArrayList<>();
        for (Rule r : RULES) {
            Decision c = p.choices().get(r.point());
            Decision n = p.choices().get(r.needs());
            if (r.choices().contains(c) && !r.allowed().contains(n)) out.add(new Conflict(r, c, n, p.name()));
        }
        return out;
    }
}
