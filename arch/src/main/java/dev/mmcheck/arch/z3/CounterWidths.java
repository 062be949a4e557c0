package dev.mmcheck.arch.z3;

import com.microsoft.z3.BitVecExpr;
import com.microsoft.z3.BitVecNum;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import com.microsoft.z3.Optimize;
import com.microsoft.z3.Params;
import com.microsoft.z3.Status;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.rules.ZeropageRefs;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Counter widths: the folio refcount is an atomic_t (32-bit signed) to which FOLL_PIN adds
 * GUP_PIN_COUNTING_BIAS (1024) on small folios; and the page count of a large object (unsigned long)
 * passed to the scatterlist API (unsigned int nents); and the shared zeropage's refcount under a profile.
 */
public final class CounterWidths {
    public static final int GUP_PIN_COUNTING_BIAS = 1024;

    private final Context ctx;
    private final Prover prover;
    private final int timeoutMs;

    public CounterWidths(Context ctx, int timeoutMs) {
        this.ctx = ctx;
        this.prover = new Prover(ctx, timeoutMs);
        this.timeoutMs = timeoutMs;
    }

    private BitVecExpr bv32(long v) {
        return ctx.mkBV(v, 32);
    }

    /** The refcount after {@code pins} FOLL_PINs from {@code base}: +1024 each, unless the rule leaves it alone. */
    private BitVecExpr afterPins(BitVecExpr base, BitVecExpr pins, boolean counted) {
        return counted ? ctx.mkBVAdd(base, ctx.mkBVMul(pins, bv32(GUP_PIN_COUNTING_BIAS))) : base;
    }

    /** Signed overflow of the 32-bit refcount: it went negative (or wrapped) while it should only grow. */
    private BoolExpr overflowed(BitVecExpr before, BitVecExpr after) {
        return ctx.mkOr(ctx.mkBVSLT(after, bv32(0)), ctx.mkBVSLT(after, before));
    }

    public List<Verdict> all() {
        return List.of(pinsToOverflow(),
                truncation("sg-page-count-truncation", "overflows_type(npages, unsigned int)",
                        n -> ctx.mkBVUGT(n, ctx.mkBV(0xffffffffL, 64))));
    }

    /** The fewest FOLL_PINs that overflow a refcount that starts at 1 (one mapping). */
    Verdict pinsToOverflow() {
        String name = "refcount-pin-overflow";
        String sentence = "the fewest FOLL_PIN pins (GUP_PIN_COUNTING_BIAS each) that overflow a small folio's 32-bit "
                + "refcount starting at 1";
        String cite = "include/linux/mm.h: GUP_PIN_COUNTING_BIAS (1U << 10); include/linux/page_ref.h: atomic_t _refcount";
        BitVecExpr n = ctx.mkBVConst("pins", 32);
        BitVecExpr base = bv32(1);
        Optimize opt = ctx.mkOptimize();
        Params p = ctx.mkParams();
        p.add("timeout", timeoutMs);
        opt.setParameters(p);
        opt.Add(ctx.mkBVULE(n, bv32(1L << 23)), overflowed(base, afterPins(base, n, true)));
        opt.MkMinimize(n);
        Status st = opt.Check();
        if (st != Status.SATISFIABLE) {
            return new Verdict(name, sentence, cite, st == Status.UNKNOWN ? Verdict.Status.UNKNOWN : Verdict.Status.HOLDS,
                    st == Status.UNKNOWN ? "solver gave up: " + opt.getReasonUnknown() : "no number of pins overflows");
        }
        long pins = ((BitVecNum) opt.getModel().eval(n, true)).getLong();
        long after = 1 + pins * GUP_PIN_COUNTING_BIAS;
        return new Verdict(name, sentence, cite, Verdict.Status.FOUND, String.format(
                "%,d pins (0x%x) take the refcount from 1 to %,d, past INT_MAX %,d; %,d pins still fit",
                pins, pins, after, Integer.MAX_VALUE, pins - 1));
    }

    /**
     * The shared zeropage's refcount under a profile (already adapted to an arch), with the per-operation deltas taken
     * from the model's own rules ({@link ZeropageRefs}), not assumed: R/O FOLL_PINs (refcounted before v6.5,
     * c8070b787519), vm_insert_page() mappings (refcounted before v6.11, fce831c92092), and DAX hole map/unmap cycles
     * (leak one reference each before v6.11 without pte_special or VM_MIXEDMAP: seed 000).
     */
    public List<Verdict> zeropage(Profile profile) {
        String under = " (" + profile.name() + ")";
        return List.of(
                noOverflow("zeropage-pin-no-overflow", "no number of R/O FOLL_PIN pins of the shared zeropage overflows its "
                        + "refcount" + under, PIN_CITE, ZeropageRefs.perPin(profile), "pins", 1L << 32),
                noOverflow("zeropage-insert-no-overflow", "no number of vm_insert_page() mappings of the shared zeropage "
                        + "overflows its refcount" + under, INSERT_CITE, ZeropageRefs.perInsert(profile), "mappings (one PTE "
                        + "each: 8 TiB of address space at 2^31)", 1L << 35),
                noOverflow("zeropage-dax-hole-balanced", "DAX hole faults and the munmaps that zap them leave the shared "
                        + "zeropage's refcount where it was, for any number of cycles" + under, INSERT_CITE,
                        ZeropageRefs.perDaxHoleCycle(profile), "map/unmap cycles", 1L << 32));
    }

    private static final String PIN_CITE = "mm/gup.c: try_grab_folio(); c8070b787519 'mm: Don't pin ZERO_PAGE in "
            + "pin_user_pages()' (v6.5); the per-pin delta is measured on the model (ZeropageRefs.perPin)";
    private static final String INSERT_CITE = "mm/memory.c: insert_page(), vm_normal_page(); seed 000, fce831c92092 (v6.11): "
            + "'we should never refcount the zeropage when we might be holding that reference for a long time'; the delta "
            + "is measured on the model (ZeropageRefs)";

    /**
     * Proves that {@code n} operations of {@code delta} each, from any refcount in 1..INT_MAX, never take the 32-bit
     * refcount past INT_MAX or down from where it was, for n up to {@code bound} (a 64-bit sum, so the sum itself cannot
     * wrap); when it can, reports the fewest operations from refcount 1.
     */
    Verdict noOverflow(String name, String sentence, String cite, int delta, String what, long bound) {
        BitVecExpr base = ctx.mkBVConst("refcount", 64);
        BitVecExpr n = ctx.mkBVConst(what.split(" ")[0].replace('/', '_'), 64);
        BitVecExpr after = ctx.mkBVAdd(base, ctx.mkBVMul(n, ctx.mkBV(delta, 64)));
        BitVecExpr intMax = ctx.mkBV(Integer.MAX_VALUE, 64);
        BoolExpr domain = ctx.mkAnd(ctx.mkBVSGE(base, ctx.mkBV(1, 64)), ctx.mkBVSLE(base, intMax), ctx.mkBVULE(n, ctx.mkBV(bound, 64)));
        BoolExpr fits = ctx.mkAnd(ctx.mkBVSLE(after, intMax), ctx.mkBVSGE(after, base));
        Map<String, BitVecExpr> shown = new java.util.LinkedHashMap<>();
        shown.put("refcount", base);
        shown.put(n.toString(), n);
        Verdict v = prover.prove(name, sentence, cite, ctx.mkImplies(domain, fits), shown, null, List.of());
        if (v.status() != Verdict.Status.VIOLATED) {
            return new Verdict(name, sentence, cite, v.status(), v.status() == Verdict.Status.HOLDS
                    ? "each adds " + delta + " to the zeropage's refcount (measured on the model)" : v.detail());
        }
        Optimize opt = ctx.mkOptimize();
        Params p = ctx.mkParams();
        p.add("timeout", timeoutMs);
        opt.setParameters(p);
        opt.Add(ctx.mkEq(base, ctx.mkBV(1, 64)), domain, ctx.mkNot(fits));
        opt.MkMinimize(n);
        if (opt.Check() != Status.SATISFIABLE) return v;
        long fewest = ((BitVecNum) opt.getModel().eval(n, true)).getLong();
        return new Verdict(name, sentence, cite, Verdict.Status.VIOLATED, String.format(
                "each adds %d (measured on the model): %,d %s take it from 1 past INT_MAX %,d", delta, fewest, what,
                Integer.MAX_VALUE));
    }

    /**
     * Whether a rejection rule on the page count (unsigned long) rejects exactly the counts that an
     * unsigned int parameter would truncate: {@code reject(npages) <=> (unsigned int) npages != npages}.
     */
    public Verdict truncation(String name, String rule, Function<BitVecExpr, BoolExpr> reject) {
        String sentence = rule + " rejects exactly the page counts that truncate when passed as the scatterlist API's "
                + "unsigned int";
        String cite = "seed 004: drm/i915 'impedance mismatch between the scatterlist API using unsigned int and our "
                + "memory/page accounting in unsigned long' (overflows_type, include/linux/overflow.h)";
        BitVecExpr npages = ctx.mkBVConst("npages", 64);
        BoolExpr truncates = ctx.mkNot(ctx.mkEq(ctx.mkZeroExt(32, ctx.mkExtract(31, 0, npages)), npages));
        return prover.prove(name, sentence, cite, ctx.mkEq(reject.apply(npages), truncates), Map.of("npages", npages), null, List.of());
    }

    /** For tests and teeth: the solver's context, to build other rules. */
    public Context context() {
        return ctx;
    }
}
