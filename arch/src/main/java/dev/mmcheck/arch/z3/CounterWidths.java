package dev.mmcheck.arch.z3;

import com.microsoft.z3.BitVecExpr;
import com.microsoft.z3.BitVecNum;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import com.microsoft.z3.Optimize;
import com.microsoft.z3.Params;
import com.microsoft.z3.Status;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Counter widths: the folio refcount is an atomic_t (32-bit signed) to which FOLL_PIN adds
 * GUP_PIN_COUNTING_BIAS (1024) on small folios; and the page count of a large object (unsigned long)
 * passed to the scatterlist API (unsigned int nents).
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
        return List.of(pinsToOverflow(), zeropageBefore65(), zeropageFrom65(),
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

    /** Before v6.5 pin_user_pages() refcounted the zeropage like any page: some number of pins overflows it. */
    Verdict zeropageBefore65() {
        String name = "zeropage-pin-overflow-before-6.5";
        String sentence = "before v6.5 (the zeropage pinned like any small page) some number of R/O pins of the shared "
                + "zeropage overflows its refcount";
        BitVecExpr base = ctx.mkBVConst("refcount", 32);
        BitVecExpr n = ctx.mkBVConst("pins", 32);
        BoolExpr witness = ctx.mkAnd(ctx.mkEq(base, bv32(1)), ctx.mkBVULE(n, bv32(1L << 23)), overflowed(base, afterPins(base, n, true)));
        Map<String, BitVecExpr> shown = new java.util.LinkedHashMap<>();
        shown.put("refcount", base);
        shown.put("pins", n);
        Prover.Answer a = prover.solve(witness, shown);
        return switch (a.status()) {
            case SATISFIABLE -> new Verdict(name, sentence, ZEROPAGE_CITE, Verdict.Status.FOUND,
                    "e.g. " + Prover.describe(a.values(), null, List.of()) + " (every process's pins add up on the one zeropage)");
            case UNSATISFIABLE -> new Verdict(name, sentence, ZEROPAGE_CITE, Verdict.Status.VIOLATED, "no number of pins overflows it");
            case UNKNOWN -> new Verdict(name, sentence, ZEROPAGE_CITE, Verdict.Status.UNKNOWN, "solver gave up: " + a.reason());
        };
    }

    private static final String ZEROPAGE_CITE = "c8070b787519 'mm: Don't pin ZERO_PAGE in pin_user_pages()' (v6.5); seed 000: "
            + "'GUP does not refcount the zeropage with FOLL_PIN, because there were issues with overflowing the refcount in the past'";

    /** From v6.5 (c8070b787519) pinning the zeropage does not touch its refcount: no number of pins overflows it. */
    Verdict zeropageFrom65() {
        String sentence = "from v6.5 (try_grab_folio() returns early for the zeropage) no number of R/O pins of the shared "
                + "zeropage overflows its refcount, whatever it starts at";
        BitVecExpr base = ctx.mkBVConst("refcount", 32);
        BitVecExpr n = ctx.mkBVConst("pins", 32);
        BoolExpr domain = ctx.mkAnd(ctx.mkBVSGT(base, bv32(0)), ctx.mkBVULE(n, bv32(1L << 23)));
        // the v6.5 rule: try_grab_folio() leaves the zeropage's refcount alone
        BoolExpr claim = ctx.mkImplies(domain, ctx.mkNot(overflowed(base, afterPins(base, n, false))));
        Map<String, BitVecExpr> shown = new java.util.LinkedHashMap<>();
        shown.put("refcount", base);
        shown.put("pins", n);
        return prover.prove("zeropage-pin-no-overflow-from-6.5", sentence, ZEROPAGE_CITE, claim, shown, null, List.of());
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
