package dev.mmcheck.arch.z3;

import com.microsoft.z3.BitVecExpr;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import dev.mmcheck.arch.layout.ArchFeatures;
import dev.mmcheck.arch.layout.Layout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The check catalogue over one architecture's layout. Domains: every swap type below MAX_SWAPFILES and
 * every offset from 1 to 2^SWP_OFFSET_BITS - 1 (offset 0 holds the swap header and is never a swapped
 * page's slot: mm/swapfile.c allocates from 1); every pfn below 2^(40 - PAGE_SHIFT) (1 TiB of memory).
 */
public final class ArchChecks {
    /** Physical address bits the pfn domain covers (the same for every arch, so results compare). */
    public static final int PHYS_BITS = 40;

    private final Context ctx;
    private final Terms t;
    private final Prover prover;
    private final Layout layout;
    private final ArchFeatures features;

    public ArchChecks(Context ctx, Layout layout, int timeoutMs) {
        this.ctx = ctx;
        this.layout = layout;
        this.t = new Terms(ctx, layout);
        this.prover = new Prover(ctx, timeoutMs);
        this.features = layout.features();
    }

    public List<Verdict> all() {
        List<Verdict> out = new ArrayList<>();
        out.add(swapRoundTrip());
        out.add(swapNotPresentNorNone());
        out.add(swapBit("swp-exclusive-bit", "pte_swp_mkexclusive", "pte_swp_exclusive", features.swpExclusive(),
                "__HAVE_ARCH_PTE_SWP_EXCLUSIVE", "mm/rmap.c: try_to_unmap_one() pte_swp_mkexclusive(); mm/memory.c: do_swap_page() pte_swp_exclusive() (v5.19+)"));
        out.add(swapBit("swp-uffd-wp-bit", "pte_swp_mkuffd_wp", "pte_swp_uffd_wp", features.uffdWp(),
                "CONFIG_HAVE_ARCH_USERFAULTFD_WP", "include/linux/swapops.h and mm/memory.c: the uffd-wp bit survives swap-out"));
        out.add(swapBit("swp-soft-dirty-bit", "pte_swp_mksoft_dirty", "pte_swp_soft_dirty", features.softDirty(),
                "CONFIG_HAVE_ARCH_SOFT_DIRTY", "mm/rmap.c: try_to_unmap_one() pte_swp_mksoft_dirty(); fs/proc/task_mmu.c"));
        out.add(pteOpsKeepSpecialAndPfn());
        out.add(protnone());
        out.add(uffdWpSpecialPte());
        return out;
    }

    private BoolExpr and(BoolExpr... xs) {
        return ctx.mkAnd(xs);
    }

    private BoolExpr swapDomain(BitVecExpr type, BitVecExpr offset) {
        BoolExpr typeOk = ctx.mkBVULT(type, t.constant("MAX_SWAPFILES"));
        BoolExpr offsetOk = ctx.mkBVULT(offset, ctx.mkBVSHL(t.num(1), t.constant("SWP_OFFSET_BITS")));
        return and(typeOk, offsetOk, ctx.mkBVUGE(offset, t.num(1)));
    }

    private BitVecExpr swapPte(BitVecExpr type, BitVecExpr offset) {
        return t.call("__swp_entry_to_pte", t.call("__swp_entry", type, offset));
    }

    private BoolExpr decodesTo(BitVecExpr pte, BitVecExpr type, BitVecExpr offset) {
        BitVecExpr e = t.call("__pte_to_swp_entry", pte);
        return and(ctx.mkEq(t.call("__swp_type", e), type), ctx.mkEq(t.call("__swp_offset", e), offset));
    }

    private BoolExpr isSwapPte(BitVecExpr pte) {
        return and(ctx.mkNot(t.test("pte_none", pte)), ctx.mkNot(t.test("pte_present", pte)));
    }

    private Verdict swapRoundTrip() {
        BitVecExpr type = t.var("type");
        BitVecExpr offset = t.var("offset");
        BitVecExpr pte = swapPte(type, offset);
        return prover.prove("swap-entry-round-trip",
                "__swp_type/__swp_offset of __swp_entry_to_pte(__swp_entry(type, offset)) give back type and offset",
                cite("__swp_entry"), ctx.mkImplies(swapDomain(type, offset), decodesTo(pte, type, offset)),
                shown("type", type, "offset", offset, "pte", pte), layout, List.of("pte"));
    }

    private Verdict swapNotPresentNorNone() {
        BitVecExpr type = t.var("type");
        BitVecExpr offset = t.var("offset");
        BitVecExpr pte = swapPte(type, offset);
        return prover.prove("swap-pte-not-present-nor-none", "a swap PTE is never pte_present() nor pte_none()",
                cite("pte_present") + "; include/linux/swapops.h: is_swap_pte()",
                ctx.mkImplies(swapDomain(type, offset), isSwapPte(pte)), shown("type", type, "offset", offset, "pte", pte),
                layout, List.of("pte"));
    }

    /** Setting the bit keeps the entry's type and offset and is seen by its test; a fresh entry has it clear. */
    private Verdict swapBit(String name, String mk, String test, boolean present, String config, String why) {
        String sentence = mk + "() keeps a swap PTE a swap PTE with the same type and offset, " + test
                + "() sees it, and a fresh entry has it clear (the bit aliases no type or offset bit)";
        if (!present) {
            return new Verdict(name, sentence, why, Verdict.Status.NOT_APPLICABLE, layout.arch() + " has no " + config);
        }
        BitVecExpr type = t.var("type");
        BitVecExpr offset = t.var("offset");
        BitVecExpr pte = swapPte(type, offset);
        BitVecExpr marked = t.call(mk, pte);
        BoolExpr claim = and(isSwapPte(marked), decodesTo(marked, type, offset), t.test(test, marked), ctx.mkNot(t.test(test, pte)));
        return prover.prove(name, sentence, cite(mk) + "; " + why, ctx.mkImplies(swapDomain(type, offset), claim),
                shown("type", type, "offset", offset, "pte", pte, "marked", marked), layout, List.of("pte", "marked"));
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

    private Verdict uffdWpSpecialPte() {
        String sentence = "the uffd-wp special swap PTE is not pte_none() (1), not pte_present() (2), has pte_swp_uffd_wp() (3) "
                + "and holds no valid swap entry (4): its type is not a swap file's or its offset is 0, the swap header's";
        String citation = "seed 002: [PATCH v3 04/27] mm/userfaultfd: Introduce special pte for unmapped file-backed mem (Peter Xu, 2021)";
        if (!features.uffdWp()) {
            return new Verdict("uffd-wp-special-pte", sentence, citation, Verdict.Status.NOT_APPLICABLE,
                    layout.arch() + " has no CONFIG_HAVE_ARCH_USERFAULTFD_WP");
        }
        if (!layout.consts().containsKey("UFFD_WP_SWP_PTE_SPECIAL")) {
            return new Verdict("uffd-wp-special-pte", sentence, citation, Verdict.Status.NOT_APPLICABLE,
                    layout.arch() + "'s layout defines no UFFD_WP_SWP_PTE_SPECIAL (the seed patch defined it for x86 only)");
        }
        BitVecExpr pte = t.constant("UFFD_WP_SWP_PTE_SPECIAL");
        BitVecExpr e = t.call("__pte_to_swp_entry", pte);
        BoolExpr notValidSwap = ctx.mkOr(ctx.mkBVUGE(t.call("__swp_type", e), t.constant("MAX_SWAPFILES")),
                ctx.mkEq(t.call("__swp_offset", e), t.num(0)));
        BoolExpr claim = and(ctx.mkNot(t.test("pte_none", pte)), ctx.mkNot(t.test("pte_present", pte)),
                t.test("pte_swp_uffd_wp", pte), notValidSwap);
        return prover.prove("uffd-wp-special-pte", sentence, citation, claim,
                shown("pte", pte, "its swap type", t.call("__swp_type", e), "its swap offset", t.call("__swp_offset", e)), layout,
                List.of("pte"));
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
