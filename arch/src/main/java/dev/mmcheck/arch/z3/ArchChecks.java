package dev.mmcheck.arch.z3;

import com.microsoft.z3.BitVecExpr;
import com.microsoft.z3.BitVecNum;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import dev.mmcheck.arch.layout.ArchFeatures;
import dev.mmcheck.arch.layout.Layout;
import dev.mmcheck.arch.layout.SwapBounds;
import dev.mmcheck.model.profile.Release;
import dev.mmcheck.model.profile.Timeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.LongFunction;

/**
 * The check catalogue over one architecture's layout, at one release.
 *
 * <p>Domains are the kernel's own. A swap entry of a swap file has a type below MAX_SWAPFILES and a slot 1..maxpages - 1,
 * where a swap area has at most min(max_swapfile_size(), UINT_MAX) pages ({@link SwapBounds}; slot 0 holds the swap
 * header). A claim over swap entries that holds there is also asked for every offset max_swapfile_size() alone admits;
 * if it fails only out there, the verdict is HOLDS and names that edge case ({@link Verdict#outsideBounds()}). A pfn is
 * below 2^(40 - PAGE_SHIFT) (1 TiB of memory); a PTE marker is a non-zero subset of PTE_MARKER_MASK.
 */
public final class ArchChecks {
    /** Physical address bits the pfn domain covers (the same for every arch, so results compare). */
    public static final int PHYS_BITS = 40;
    /** 679d10331918 "mm: introduce PTE_MARKER swap entry" and 1db9dbc2ef05 "mm/uffd: PTE_MARKER_UFFD_WP". */
    static final Release PTE_MARKERS = Release.parse("v5.19");
    /** "mm: always compile in pte markers" (BRACKETED by the release trees: 6.1.20 without, 6.2.1 with). */
    static final Release PTE_MARKERS_ALWAYS = Release.parse("v6.2");

    private static final String SEED_PATCH = "seed 002: [PATCH v3 04/27] mm/userfaultfd: Introduce special pte for unmapped "
            + "file-backed mem (Peter Xu, 2021-05-27), arch/x86/include/asm/pgtable.h UFFD_WP_SWP_PTE_SPECIAL";
    static final String SEED = SEED_PATCH + "; never merged: PTE markers replaced it in v5.19 (679d10331918, 1db9dbc2ef05)";
    private static final String NEVER_MERGED = "the seed's uffd-wp special swap PTE (never merged; PTE markers replaced it in v5.19)";
    private static final String MARKER = "the uffd-wp PTE marker make_pte_marker(PTE_MARKER_UFFD_WP)";

    private final Context ctx;
    private final Terms t;
    private final Prover prover;
    private final Layout layout;
    private final ArchFeatures features;
    private final Release release;
    private final SwapBounds bounds;

    /** The catalogue at the newest release on the timeline. */
    public ArchChecks(Context ctx, Layout layout, int timeoutMs) {
        this(ctx, layout, Timeline.NEWEST, timeoutMs);
    }

    /** The catalogue at a release: checks of what the kernel lacks at that release are not applicable. */
    public ArchChecks(Context ctx, Layout layout, Release release, int timeoutMs) {
        this.ctx = ctx;
        this.layout = layout;
        this.t = new Terms(ctx, layout);
        this.prover = new Prover(ctx, timeoutMs);
        this.features = layout.features();
        this.release = release;
        this.bounds = SwapBounds.of(layout);
    }

    public SwapBounds bounds() {
        return bounds;
    }

    public List<Verdict> all() {
        List<Verdict> out = new ArrayList<>();
        out.add(swapRoundTrip());
        out.add(swapNotPresentNorNone());
        out.add(swapBit("swp-exclusive-bit", "pte_swp_mkexclusive", "pte_swp_exclusive", features.swpExclusive(),
                "__HAVE_ARCH_PTE_SWP_EXCLUSIVE", "mm/rmap.c: try_to_unmap_one() pte_swp_mkexclusive(); mm/memory.c: do_swap_page() pte_swp_exclusive() (v5.19+)"));
        out.add(swapBit("swp-uffd-wp-bit", "pte_swp_mkuffd_wp", "pte_swp_uffd_wp", uffdWpAtRelease(),
                "CONFIG_HAVE_ARCH_USERFAULTFD_WP" + layout.since("CONFIG_HAVE_ARCH_USERFAULTFD_WP").map(s -> " at " + release + " (only from " + s + ")").orElse(""),
                "include/linux/swapops.h and mm/memory.c: the uffd-wp bit survives swap-out"));
        out.add(swapBit("swp-soft-dirty-bit", "pte_swp_mksoft_dirty", "pte_swp_soft_dirty", features.softDirty(),
                "CONFIG_HAVE_ARCH_SOFT_DIRTY", "mm/rmap.c: try_to_unmap_one() pte_swp_mksoft_dirty(); fs/proc/task_mmu.c"));
        out.add(pteOpsKeepSpecialAndPfn());
        out.add(protnone());
        out.addAll(uffdWpSpecialPte());
        out.addAll(uffdWpMarker());
        out.add(pteMarkerRoundTrip());
        return out;
    }

    private BoolExpr and(BoolExpr... xs) {
        return ctx.mkAnd(xs);
    }

    /** A swap-file entry: type below MAX_SWAPFILES, offset 1..maxOffset. */
    private BoolExpr swapDomain(BitVecExpr type, BitVecExpr offset, long maxOffset) {
        return and(ctx.mkBVULT(type, t.constant("MAX_SWAPFILES")), ctx.mkBVUGE(offset, t.num(1)), ctx.mkBVULE(offset, t.num(maxOffset)));
    }

    private BitVecExpr swapPte(BitVecExpr type, BitVecExpr offset) {
        return t.call("__swp_entry_to_pte", t.call("__swp_entry", type, offset));
    }

    /** The arch's own decoding (no flag bit cleared first): a flag that aliases a type or offset bit shows. */
    private BoolExpr decodesTo(BitVecExpr pte, BitVecExpr type, BitVecExpr offset) {
        BitVecExpr e = t.call("__pte_to_swp_entry", pte);
        return and(ctx.mkEq(t.call("__swp_type", e), type), ctx.mkEq(t.call("__swp_offset", e), offset));
    }

    private BoolExpr isSwapPte(BitVecExpr pte) {
        return t.test("is_swap_pte", pte);
    }

    /**
     * Proves a claim over the swap entries of swap files: first within the kernel's bounds, then, if it holds there,
     * for every offset max_swapfile_size() admits, so that an edge case no kernel reaches is named, not hidden.
     */
    private Verdict overSwapEntries(String name, String sentence, String citation,
                                    BiFunction<BitVecExpr, BitVecExpr, BoolExpr> claim,
                                    BiFunction<BitVecExpr, BitVecExpr, Map<String, BitVecExpr>> shown, List<String> pteVars) {
        BitVecExpr type = t.var("type");
        BitVecExpr offset = t.var("offset");
        BoolExpr c = claim.apply(type, offset);
        return bounded(name, sentence, citation, max -> ctx.mkImplies(swapDomain(type, offset, max), c), shown.apply(type, offset),
                pteVars, "every swap-file entry the kernel can make");
    }

    private Verdict bounded(String name, String sentence, String citation, LongFunction<BoolExpr> claimUpTo,
                            Map<String, BitVecExpr> shown, List<String> pteVars, String what) {
        Prover.Answer in = prover.solve(ctx.mkNot(claimUpTo.apply(bounds.maxOffset())), shown);
        switch (in.status()) {
            case SATISFIABLE -> {
                return new Verdict(name, sentence, citation, Verdict.Status.VIOLATED,
                        Prover.describe(in.values(), layout, pteVars) + " (within the kernel's bounds: " + bounds.brief() + ")");
            }
            case UNKNOWN -> {
                return new Verdict(name, sentence, citation, Verdict.Status.UNKNOWN, "solver gave up: " + in.reason());
            }
            default -> {
            }
        }
        String proved = "proved for " + what + " (" + bounds.brief() + ")";
        if (bounds.admittedMaxOffset() <= bounds.maxOffset()) return new Verdict(name, sentence, citation, Verdict.Status.HOLDS, proved);
        Prover.Answer out = prover.solve(ctx.mkNot(claimUpTo.apply(bounds.admittedMaxOffset())), shown);
        return switch (out.status()) {
            case SATISFIABLE -> {
                String cex = Prover.describe(out.values(), layout, pteVars);
                long offset = out.values().entrySet().stream().filter(v -> v.getKey().endsWith("offset")).findFirst().orElseThrow().getValue();
                yield new Verdict(name, sentence, citation, Verdict.Status.HOLDS, proved + "; outside those bounds it fails at "
                        + cex + ": " + bounds.unreachable(offset, layout.value("PAGE_SHIFT")), cex);
            }
            case UNKNOWN -> new Verdict(name, sentence, citation, Verdict.Status.HOLDS, proved
                    + "; beyond them, up to max_swapfile_size(), the solver gave up: " + out.reason());
            default -> new Verdict(name, sentence, citation, Verdict.Status.HOLDS, proved + ", and for every offset max_swapfile_size() "
                    + "admits (up to 0x" + Long.toHexString(bounds.admittedMaxOffset()) + ")");
        };
    }

    private Verdict swapRoundTrip() {
        return overSwapEntries("swap-entry-round-trip",
                "__swp_type/__swp_offset of __swp_entry_to_pte(__swp_entry(type, offset)) give back type and offset",
                cite("__swp_entry"), (type, offset) -> decodesTo(swapPte(type, offset), type, offset),
                (type, offset) -> shown("type", type, "offset", offset, "pte", swapPte(type, offset)), List.of("pte"));
    }

    private Verdict swapNotPresentNorNone() {
        return overSwapEntries("swap-pte-not-present-nor-none", "a swap PTE is never pte_present() nor pte_none()",
                cite("pte_present") + "; " + cite("pte_none") + "; include/linux/swapops.h: is_swap_pte() (v7.1: softleaf_from_pte())",
                (type, offset) -> isSwapPte(swapPte(type, offset)),
                (type, offset) -> shown("type", type, "offset", offset, "pte", swapPte(type, offset)), List.of("pte"));
    }

    /** Setting the bit keeps the entry's type and offset and is seen by its test; a fresh entry has it clear. */
    private Verdict swapBit(String name, String mk, String test, boolean present, String config, String why) {
        String sentence = mk + "() keeps a swap PTE a swap PTE with the same type and offset, " + test
                + "() sees it, and a fresh entry has it clear (the bit aliases no type or offset bit)";
        if (!present) {
            return new Verdict(name, sentence, why, Verdict.Status.NOT_APPLICABLE, layout.arch() + " has no " + config);
        }
        return overSwapEntries(name, sentence, cite(mk) + "; " + why, (type, offset) -> {
            BitVecExpr pte = swapPte(type, offset);
            BitVecExpr marked = t.call(mk, pte);
            return and(isSwapPte(marked), decodesTo(marked, type, offset), t.test(test, marked), ctx.mkNot(t.test(test, pte)));
        }, (type, offset) -> shown("type", type, "offset", offset, "pte", swapPte(type, offset), "marked",
                t.call(mk, swapPte(type, offset))), List.of("pte", "marked"));
    }

    private BoolExpr pfnDomain(BitVecExpr pfn) {
        return ctx.mkBVULT(pfn, ctx.mkBVSHL(t.num(1), ctx.mkBVSub(t.num(PHYS_BITS), t.constant("PAGE_SHIFT"))));
    }

    private Verdict pteOpsKeepSpecialAndPfn() {
        BitVecExpr pfn = t.var("pfn");
        BitVecExpr base = t.call("pfn_pte", pfn, t.constant("PAGE_READONLY"));
        BitVecExpr pte = features.pteSpecial() ? t.call("pte_mkspecial", base) : base;
        List<BoolExpr> keep = new ArrayList<>();
        for (String op : List.of("pte_mkwrite", "pte_wrprotect", "pte_mkdirty", "pte_mkclean")) {
            BitVecExpr after = t.call(op, pte);
            keep.add(ctx.mkEq(t.call("pte_pfn", after), pfn));
            keep.add(t.test("pte_present", after));
            if (features.pteSpecial()) keep.add(t.test("pte_special", after));
        }
        String sentence = "pte_mkwrite/pte_wrprotect/pte_mkdirty/pte_mkclean keep a present PTE present, its pfn"
                + (features.pteSpecial() ? " and pte_special()" : " (no special bit on this arch)");
        return prover.prove("pte-ops-keep-special-and-pfn", sentence, cite("pte_mkwrite") + "; " + cite("pte_mkspecial"),
                ctx.mkImplies(pfnDomain(pfn), ctx.mkAnd(keep.toArray(BoolExpr[]::new))), shown("pfn", pfn, "pte", pte), layout,
                List.of("pte"));
    }

    private Verdict protnone() {
        BitVecExpr pfn = t.var("pfn");
        BitVecExpr pte = t.call("pfn_pte", pfn, t.constant("PAGE_NONE"));
        BoolExpr claim = and(ctx.mkNot(t.test("pte_none", pte)), t.test("pte_present", pte), ctx.mkEq(t.call("pte_pfn", pte), pfn));
        return prover.prove("protnone-keeps-pfn",
                "a PROT_NONE (NUMA hinting) PTE pfn_pte(pfn, PAGE_NONE) is not pte_none(), is pte_present() and keeps its pfn",
                cite("pte_protnone") + "; " + cite("PAGE_NONE"), ctx.mkImplies(pfnDomain(pfn), claim), shown("pfn", pfn, "pte", pte),
                layout, List.of("pte"));
    }

    /** A claim about one constant PTE: the detail shows the PTE, decoded, either way. */
    private Verdict ground(String name, String sentence, String citation, BoolExpr claim, Map<String, BitVecExpr> shown) {
        Prover.Answer a = prover.solve(ctx.mkNot(claim), Map.of());
        String values = Prover.describe(evaluate(shown), layout, List.of("pte"));
        return switch (a.status()) {
            case UNSATISFIABLE -> new Verdict(name, sentence, citation, Verdict.Status.HOLDS, "proved: " + values);
            case SATISFIABLE -> new Verdict(name, sentence, citation, Verdict.Status.VIOLATED, values);
            case UNKNOWN -> new Verdict(name, sentence, citation, Verdict.Status.UNKNOWN, "solver gave up: " + a.reason());
        };
    }

    private static Map<String, Long> evaluate(Map<String, BitVecExpr> shown) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (var e : shown.entrySet()) out.put(e.getKey(), ((BitVecNum) e.getValue().simplify()).getBigInteger().longValue());
        return out;
    }

    private static final List<String> SEED_RULES = List.of("uffd-wp-special-pte-not-none", "uffd-wp-special-pte-not-present",
            "uffd-wp-special-pte-has-uffd-wp-bit", "uffd-wp-special-pte-no-valid-swap-entry");

    /** The seed's four rules for its special PTE, one verdict each. */
    private List<Verdict> uffdWpSpecialPte() {
        List<String> sentences = List.of(
                NEVER_MERGED + " is not pte_none(), rule (1): it must not trigger a missing-page fault",
                NEVER_MERGED + " is not pte_present(), rule (2): is_swap_pte() recognizes it",
                NEVER_MERGED + " has pte_swp_uffd_wp(), rule (3): it is tested like a wr-protected swap PTE",
                NEVER_MERGED + " holds no swap entry, rule (4): pte_to_swp_entry() gives no swap-file type with a slot a swap "
                        + "area can have");
        String why = !features.uffdWp() ? layout.arch() + " has no CONFIG_HAVE_ARCH_USERFAULTFD_WP"
                : !layout.consts().containsKey("UFFD_WP_SWP_PTE_SPECIAL")
                ? layout.arch() + "'s layout defines no UFFD_WP_SWP_PTE_SPECIAL (the seed patch defined it for x86 only)" : null;
        List<Verdict> out = new ArrayList<>();
        if (why != null) {
            for (int i = 0; i < 4; i++) out.add(new Verdict(SEED_RULES.get(i), sentences.get(i), SEED, Verdict.Status.NOT_APPLICABLE, why));
            return out;
        }
        BitVecExpr pte = t.constant("UFFD_WP_SWP_PTE_SPECIAL");
        BitVecExpr e = t.call("pte_to_swp_entry", pte);
        Map<String, BitVecExpr> shown = shown("pte", pte, "its swap type", t.call("swp_type", e), "its swap offset", t.call("swp_offset", e));
        out.add(ground(SEED_RULES.get(0), sentences.get(0), SEED, ctx.mkNot(t.test("pte_none", pte)), shown("pte", pte)));
        out.add(ground(SEED_RULES.get(1), sentences.get(1), SEED, ctx.mkNot(t.test("pte_present", pte)), shown("pte", pte)));
        out.add(ground(SEED_RULES.get(2), sentences.get(2), SEED, t.test("pte_swp_uffd_wp", pte), shown("pte", pte)));
        out.add(bounded(SEED_RULES.get(3), sentences.get(3), SEED + "; include/linux/swapops.h: pte_to_swp_entry()",
                max -> ctx.mkNot(swapDomain(t.call("swp_type", e), t.call("swp_offset", e), max)), shown, List.of("pte"),
                "the special PTE against every swap-file entry the kernel can make"));
        return out;
    }

    /** CONFIG_HAVE_ARCH_USERFAULTFD_WP on this arch at this release ({@code config ... = y since vX.Y} in the layout). */
    static boolean uffdWpAt(Layout layout, Release release) {
        return layout.features().uffdWp()
                && layout.since("CONFIG_HAVE_ARCH_USERFAULTFD_WP").map(s -> release.atLeast(Release.parse(s))).orElse(true);
    }

    private boolean uffdWpAtRelease() {
        return uffdWpAt(layout, release);
    }

    /** Why uffd-wp PTE markers do not exist on this arch at this release, if they do not. */
    private Optional<String> noUffdWpMarkers() {
        if (!release.atLeast(PTE_MARKERS)) {
            return Optional.of("PTE markers arrived in v5.19 (679d10331918, 1db9dbc2ef05); this is " + release);
        }
        if (!features.uffdWp()) {
            return Optional.of(layout.arch() + " has no CONFIG_HAVE_ARCH_USERFAULTFD_WP, which PTE_MARKER_UFFD_WP depends on (mm/Kconfig)");
        }
        Optional<String> since = layout.since("CONFIG_HAVE_ARCH_USERFAULTFD_WP");
        if (since.isPresent() && !release.atLeast(Release.parse(since.get()))) {
            return Optional.of(layout.arch() + " has CONFIG_HAVE_ARCH_USERFAULTFD_WP only from " + since.get() + "; this is " + release);
        }
        return Optional.empty();
    }

    private static final List<String> MARKER_RULES = List.of("uffd-wp-marker-not-none", "uffd-wp-marker-not-present",
            "uffd-wp-marker-reads-as-uffd-wp", "uffd-wp-marker-no-valid-swap-entry");

    /** The seed's four rules, asked of what mainline merged instead: the uffd-wp PTE marker. */
    private List<Verdict> uffdWpMarker() {
        List<String> sentences = List.of(
                MARKER + " is not pte_none(): a fault on it is not a missing-page fault",
                MARKER + " is not pte_present(): it is a non-present (swap-like) PTE",
                MARKER + " reads back as one: is_pte_marker() and PTE_MARKER_UFFD_WP in pte_marker_get(), so pte_marker_uffd_wp() "
                        + "(v7.1: pte_is_uffd_wp_marker()) and pte_swp_uffd_wp_any() see it",
                MARKER + " decodes to SWP_PTE_MARKER, never to a swap-file type nor a hwpoison, migration or device type");
        String citation = "include/linux/swapops.h: make_pte_marker(), " + cite("PTE_MARKER_UFFD_WP") + "; " + cite("SWP_PTE_MARKER")
                + "; 1db9dbc2ef05 'mm/uffd: PTE_MARKER_UFFD_WP' (v5.19), which replaced " + SEED_PATCH;
        Optional<String> why = noUffdWpMarkers();
        List<Verdict> out = new ArrayList<>();
        if (why.isPresent()) {
            for (int i = 0; i < 4; i++) out.add(new Verdict(MARKER_RULES.get(i), sentences.get(i), citation, Verdict.Status.NOT_APPLICABLE, why.get()));
            return out;
        }
        BitVecExpr pte = t.call("make_pte_marker", t.constant("PTE_MARKER_UFFD_WP"));
        BitVecExpr e = t.call("pte_to_swp_entry", pte);
        BitVecExpr type = t.call("swp_type", e);
        out.add(ground(MARKER_RULES.get(0), sentences.get(0), citation, ctx.mkNot(t.test("pte_none", pte)), shown("pte", pte)));
        out.add(ground(MARKER_RULES.get(1), sentences.get(1), citation, ctx.mkNot(t.test("pte_present", pte)), shown("pte", pte)));
        out.add(ground(MARKER_RULES.get(2), sentences.get(2), citation, t.test("pte_marker_uffd_wp", pte),
                shown("pte", pte, "its swap type", type, "its marker", t.call("pte_marker_get", e))));
        List<BoolExpr> notOther = new ArrayList<>(List.of(ctx.mkBVUGE(type, t.constant("MAX_SWAPFILES"))));
        for (String other : List.of("SWP_HWPOISON", "SWP_MIGRATION_READ", "SWP_MIGRATION_READ_EXCLUSIVE", "SWP_MIGRATION_WRITE",
                "SWP_DEVICE_WRITE", "SWP_DEVICE_READ", "SWP_DEVICE_EXCLUSIVE")) {
            notOther.add(ctx.mkNot(ctx.mkEq(type, t.constant(other))));
        }
        out.add(ground(MARKER_RULES.get(3), sentences.get(3), citation + "; " + cite("MAX_SWAPFILES"), and(notOther.toArray(BoolExpr[]::new)),
                shown("pte", pte, "its swap type", type, "SWP_PTE_MARKER", t.constant("SWP_PTE_MARKER"), "MAX_SWAPFILES",
                        t.constant("MAX_SWAPFILES"))));
        return out;
    }

    /** Every marker value survives make_pte_marker() and the kernel's decoding, on every arch that has markers. */
    private Verdict pteMarkerRoundTrip() {
        String name = "pte-marker-round-trip";
        String sentence = "every PTE marker (a non-zero subset of PTE_MARKER_MASK: UFFD_WP, POISONED, GUARD) encoded by "
                + "make_pte_marker() is a swap PTE that is_pte_marker() recognizes and whose pte_marker_get() gives it back";
        String citation = cite("make_pte_marker") + "; " + cite("pte_marker_get") + "; " + cite("PTE_MARKER_MASK");
        boolean markers = release.atLeast(PTE_MARKERS_ALWAYS) || noUffdWpMarkers().isEmpty();
        if (!markers) {
            return new Verdict(name, sentence, citation, Verdict.Status.NOT_APPLICABLE, release.atLeast(PTE_MARKERS)
                    ? "before v6.2 PTE markers exist only with CONFIG_PTE_MARKER, which PTE_MARKER_UFFD_WP selects: " + noUffdWpMarkers().get()
                    : noUffdWpMarkers().get());
        }
        BitVecExpr m = t.var("marker");
        BitVecExpr mask = t.constant("PTE_MARKER_MASK");
        BitVecExpr pte = t.call("make_pte_marker", m);
        BoolExpr domain = and(ctx.mkNot(ctx.mkEq(m, t.num(0))), ctx.mkEq(ctx.mkBVAND(m, ctx.mkBVNot(mask)), t.num(0)));
        BoolExpr claim = and(isSwapPte(pte), t.test("is_pte_marker", pte), ctx.mkEq(t.call("pte_marker_get", t.call("pte_to_swp_entry", pte)), m));
        return prover.prove(name, sentence, citation, ctx.mkImplies(domain, claim), shown("marker", m, "pte", pte), layout, List.of("pte"));
    }

    private String cite(String name) {
        return layout.citation(name).filter(c -> !c.isEmpty()).map(c -> name + ": " + c).orElse(name);
    }

    private static Map<String, BitVecExpr> shown(Object... kv) {
        Map<String, BitVecExpr> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (BitVecExpr) kv[i + 1]);
        return m;
    }
}
