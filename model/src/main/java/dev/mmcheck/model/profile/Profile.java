package dev.mmcheck.model.profile;

import com.google.common.collect.ImmutableMap;
import dev.mmcheck.model.profile.Decisions.AnonExclusive;
import dev.mmcheck.model.profile.Decisions.ClearRefsPinned;
import dev.mmcheck.model.profile.Decisions.ForkPinned;
import dev.mmcheck.model.profile.Decisions.GupCowBreak;
import dev.mmcheck.model.profile.Decisions.KsmWriteProtect;
import dev.mmcheck.model.profile.Decisions.MprotectUpgrade;
import dev.mmcheck.model.profile.Decisions.PinUnshare;
import dev.mmcheck.model.profile.Decisions.SwapInReuse;
import dev.mmcheck.model.profile.Decisions.SwapOutPinned;
import dev.mmcheck.model.profile.Decisions.SwapPteExclusive;
import dev.mmcheck.model.profile.Decisions.WpReuse;
import dev.mmcheck.model.plugin.RulePlugin;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A kernel era: one choice per {@link DecisionPoint}. Profiles differ only in these choices, never in
 * code. A variant ({@link #with}) overrides a choice, to revert a fix or try a proposed rule.
 */
public final class Profile {
    private final String name;
    private final String release;
    private final ImmutableMap<DecisionPoint<?>, Decision> choices;
    private final ImmutableMap<String, RulePlugin> plugins;
    /*
     * The choices the rules and invariants ask about on nearly every transition, read once here: a map look-up per
     * question was 4% of a search's time. (A record until then; a class because a record cannot keep these.)
     */
    private final boolean pteSpecial;
    private final boolean softDirty;
    private final boolean anonExclusive;
    private final int pinBias;

    public Profile(String name, String release, ImmutableMap<DecisionPoint<?>, Decision> choices,
                   ImmutableMap<String, RulePlugin> plugins) {
        for (DecisionPoint<?> p : DecisionPoint.ALL) {
            if (!p.type().isInstance(choices.get(p))) {
                throw new IllegalArgumentException(name + ": no choice for decision point " + p.name());
            }
        }
        for (String point : plugins.keySet()) {
            if (!PLUGGABLE.contains(point)) throw new IllegalArgumentException(point + " takes no plugins");
        }
        this.name = name;
        this.release = release;
        this.choices = choices;
        this.plugins = plugins;
        this.pteSpecial = get(DecisionPoint.PTE_SPECIAL) == Decisions.PteSpecial.PRESENT;
        this.softDirty = get(DecisionPoint.SOFT_DIRTY) == Decisions.SoftDirty.PRESENT;
        this.anonExclusive = get(DecisionPoint.ANON_EXCLUSIVE) == AnonExclusive.TRACKED;
        this.pinBias = pinAccounting() == Decisions.PinAccounting.PIN_COUNTING_BIAS ? 1024 : 1;
    }

    /** "v5.9", or "v5.9+fork-maybe-pinned=share" for a variant. */
    public String name() {
        return name;
    }

    /** The release the profile is or departs from. */
    public String release() {
        return release;
    }

    /** One choice per decision point. */
    public ImmutableMap<DecisionPoint<?>, Decision> choices() {
        return choices;
    }

    /**
     * Rule plugins by decision point name: where one is present, the rules ask it instead of the point's choice
     * (which stays the release's, for the rest of the model).
     */
    public ImmutableMap<String, RulePlugin> plugins() {
        return plugins;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Profile p && p.name.equals(name) && p.release.equals(release)
                && p.choices.equals(choices) && p.plugins.equals(plugins);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, release, choices, plugins);
    }

    public Profile(String name, String release, ImmutableMap<DecisionPoint<?>, Decision> choices) {
        this(name, release, choices, ImmutableMap.of());
    }

    /** The decision points a {@link RulePlugin} may replace, with the interface it must implement. */
    public static final java.util.Map<String, Class<? extends RulePlugin>> PLUGGABLE_POINTS = java.util.Map.of(
            DecisionPoint.WP_REUSE.name(), dev.mmcheck.model.plugin.WpReuseRule.class,
            DecisionPoint.FORK_MAYBE_PINNED.name(), dev.mmcheck.model.plugin.ForkCopyRule.class,
            DecisionPoint.MPROTECT_UPGRADE.name(), dev.mmcheck.model.plugin.MprotectUpgradeRule.class);
    private static final java.util.Set<String> PLUGGABLE = PLUGGABLE_POINTS.keySet();

    /** This profile with a plugin replacing its point's rule, named {@code ...+POINT=plugin:NAME}. */
    public Profile withPlugin(RulePlugin plugin) {
        Class<? extends RulePlugin> type = PLUGGABLE_POINTS.get(plugin.point());
        if (type == null || !type.isInstance(plugin)) {
            throw new IllegalArgumentException(plugin.name() + ": point " + plugin.point() + " needs a "
                    + (type == null ? "pluggable point" : type.getSimpleName()));
        }
        Map<String, RulePlugin> m = new LinkedHashMap<>(plugins);
        m.put(plugin.point(), plugin);
        return new Profile(name + "+" + plugin.point() + "=plugin:" + plugin.name(), release, choices, ImmutableMap.copyOf(m));
    }

    /** The plugin replacing {@code point}'s rule, if one was loaded. */
    public <T extends RulePlugin> java.util.Optional<T> plugin(DecisionPoint<?> point, Class<T> type) {
        RulePlugin p = plugins.get(point.name());
        return p == null ? java.util.Optional.empty() : java.util.Optional.of(type.cast(p));
    }

    public <D extends Enum<D> & Decision> D get(DecisionPoint<D> point) {
        return point.type().cast(choices.get(point));
    }

    /** This profile with one decision point overridden, named for the change (itself if it already makes that choice). */
    public Profile with(DecisionPoint<?> point, Decision choice) {
        if (!point.type().isInstance(choice)) {
            throw new IllegalArgumentException(choice + " is not a choice of " + point.name());
        }
        if (choices.get(point) == choice && !plugins.containsKey(point.name())) return this;
        Map<DecisionPoint<?>, Decision> m = new LinkedHashMap<>(choices);
        m.put(point, choice);
        Map<String, RulePlugin> ps = new LinkedHashMap<>(plugins);
        ps.remove(point.name()); // a choice set after a plugin replaces it
        return new Profile(name + "+" + point.name() + "=" + choice.specName(), release, ImmutableMap.copyOf(m), ImmutableMap.copyOf(ps));
    }

    public WpReuse wpReuse() {
        return get(DecisionPoint.WP_REUSE);
    }

    public Decisions.ForceWrite forceWrite() {
        return get(DecisionPoint.FORCE_WRITE);
    }

    public GupCowBreak gupCowBreak() {
        return get(DecisionPoint.GUP_COW_BREAK);
    }

    public PinUnshare pinUnshare() {
        return get(DecisionPoint.PIN_UNSHARE);
    }

    public ForkPinned forkPinned() {
        return get(DecisionPoint.FORK_MAYBE_PINNED);
    }

    public SwapPteExclusive swapPteExclusive() {
        return get(DecisionPoint.SWAP_PTE_EXCLUSIVE);
    }

    public SwapInReuse swapInReuse() {
        return get(DecisionPoint.SWAP_IN_REUSE);
    }

    public SwapOutPinned swapOutPinned() {
        return get(DecisionPoint.SWAP_OUT_PINNED);
    }

    public MprotectUpgrade mprotectUpgrade() {
        return get(DecisionPoint.MPROTECT_UPGRADE);
    }

    public ClearRefsPinned clearRefsPinned() {
        return get(DecisionPoint.CLEAR_REFS_PINNED);
    }

    public KsmWriteProtect ksmWriteProtect() {
        return get(DecisionPoint.KSM_WRITE_PROTECT);
    }

    public Decisions.ThpWpReuse thpWpReuse() {
        return get(DecisionPoint.THP_WP_REUSE);
    }

    public Decisions.HugeZeroWp hugeZeroWp() {
        return get(DecisionPoint.HUGE_ZERO_WP);
    }

    public Decisions.LargeAnonReuse largeAnonReuse() {
        return get(DecisionPoint.LARGE_ANON_REUSE);
    }

    public Decisions.ThpSwapout thpSwapout() {
        return get(DecisionPoint.THP_SWAPOUT);
    }

    public Decisions.CollapseRefcount collapseRefcount() {
        return get(DecisionPoint.COLLAPSE_REFCOUNT);
    }

    public Decisions.CollapseWritable collapseWritable() {
        return get(DecisionPoint.COLLAPSE_WRITABLE);
    }

    public Decisions.HugetlbForkPinned hugetlbForkPinned() {
        return get(DecisionPoint.HUGETLB_FORK_PINNED);
    }

    public Decisions.DeviceExclusive deviceExclusive() {
        return get(DecisionPoint.DEVICE_EXCLUSIVE);
    }

    public Decisions.MigrationEntryFork migrationEntryFork() {
        return get(DecisionPoint.MIGRATION_ENTRY_FORK);
    }

    public Decisions.PmdSplitExclusive pmdSplitExclusive() {
        return get(DecisionPoint.PMD_SPLIT_EXCLUSIVE);
    }

    public Decisions.UffdWp uffdWp() {
        return get(DecisionPoint.UFFD_WP);
    }

    public Decisions.UffdWpUnpopulated uffdWpUnpopulated() {
        return get(DecisionPoint.UFFD_WP_UNPOPULATED);
    }

    public Decisions.UffdWpAsync uffdWpAsync() {
        return get(DecisionPoint.UFFD_WP_ASYNC);
    }

    public Decisions.UffdWpFork uffdWpFork() {
        return get(DecisionPoint.UFFD_WP_FORK);
    }

    public Decisions.UffdMarkerFork uffdMarkerFork() {
        return get(DecisionPoint.UFFD_MARKER_FORK);
    }

    public Decisions.UffdShmemWritenotify uffdShmemWritenotify() {
        return get(DecisionPoint.UFFD_SHMEM_WRITENOTIFY);
    }

    public Decisions.UffdThpMigration uffdThpMigration() {
        return get(DecisionPoint.UFFD_THP_MIGRATION);
    }

    public Decisions.UffdHugeZeroSplit uffdHugeZeroSplit() {
        return get(DecisionPoint.UFFD_HUGE_ZERO_SPLIT);
    }

    public Decisions.UffdResolve uffdResolve() {
        return get(DecisionPoint.UFFD_RESOLVE);
    }

    public Decisions.UffdUnregister uffdUnregister() {
        return get(DecisionPoint.UFFD_UNREGISTER);
    }

    public Decisions.SwapoffBits swapoffBits() {
        return get(DecisionPoint.SWAPOFF_BITS);
    }

    public Decisions.UffdCollapse uffdCollapse() {
        return get(DecisionPoint.UFFD_COLLAPSE);
    }

    public Decisions.PinAccounting pinAccounting() {
        return get(DecisionPoint.PIN_ACCOUNTING);
    }

    public Decisions.KsmBreakCow ksmBreakCow() {
        return get(DecisionPoint.KSM_BREAK_COW);
    }

    public Decisions.ZeropagePin zeropagePin() {
        return get(DecisionPoint.ZEROPAGE_PIN);
    }

    public Decisions.ZeropageInsert zeropageInsert() {
        return get(DecisionPoint.ZEROPAGE_INSERT);
    }

    public Decisions.PagesStatWalk pagesStatWalk() {
        return get(DecisionPoint.PAGES_STAT_WALK);
    }

    public Decisions.DaxHole daxHole() {
        return get(DecisionPoint.DAX_HOLE);
    }

    public Decisions.FsdaxMixedmap fsdaxMixedmap() {
        return get(DecisionPoint.FSDAX_MIXEDMAP);
    }

    public Decisions.FsdaxLongterm fsdaxLongterm() {
        return get(DecisionPoint.FSDAX_LONGTERM);
    }

    public Decisions.SkeysZeropage skeysZeropage() {
        return get(DecisionPoint.SKEYS_ZEROPAGE);
    }

    public Decisions.KsmZeroPages ksmZeroPages() {
        return get(DecisionPoint.KSM_ZERO_PAGES);
    }

    public Decisions.GupFast gupFast() {
        return get(DecisionPoint.GUP_FAST);
    }

    public Decisions.RemapPfnCowPgoff remapPfnCowPgoff() {
        return get(DecisionPoint.REMAP_PFN_COW_PGOFF);
    }

    public boolean hasStorageKeys() {
        return get(DecisionPoint.STORAGE_KEYS) == Decisions.StorageKeys.PRESENT;
    }

    /** The GUP_PIN_COUNTING_BIAS a FOLL_PIN adds to a small folio in this release (1 before v5.7). */
    public int pinBias() {
        return pinBias;
    }

    public boolean hasPteSpecial() {
        return pteSpecial;
    }

    public boolean hasSoftDirty() {
        return softDirty;
    }

    public boolean tracksAnonExclusive() {
        return anonExclusive;
    }

    /** mm->has_pinned (v5.9-v5.13, commit 008cfe4418b3), then MMF_HAS_PINNED (v5.14+): exists from v5.9. */
    public boolean tracksHasPinned() {
        return forkPinned() == ForkPinned.COPY || clearRefsPinned() == ClearRefsPinned.SKIP_MAYBE_PINNED;
    }

    /** FAULT_FLAG_UNSHARE exists (v5.19+). */
    public boolean hasUnshareFault() {
        return pinUnshare() != PinUnshare.NEVER;
    }

    @Override
    public String toString() {
        return name;
    }
}
