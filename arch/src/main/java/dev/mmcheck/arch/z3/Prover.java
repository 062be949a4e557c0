package dev.mmcheck.arch.z3;

import com.microsoft.z3.BitVecExpr;
import com.microsoft.z3.BitVecNum;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import com.microsoft.z3.Model;
import com.microsoft.z3.Params;
import com.microsoft.z3.Solver;
import com.microsoft.z3.Status;
import dev.mmcheck.arch.layout.Layout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Asks Z3 one question at a time, with a timeout, and phrases the answer with PTE bits decoded by name. */
final class Prover {
    private final Context ctx;
    private final int timeoutMs;

    Prover(Context ctx, int timeoutMs) {
        this.ctx = ctx;
        this.timeoutMs = timeoutMs;
    }

    /** The outcome of a satisfiability question: a model (values of the shown variables), none, or unknown. */
    record Answer(Status status, Map<String, Long> values, String reason) {
    }

    Answer solve(BoolExpr formula, Map<String, BitVecExpr> shown) {
        Solver s = ctx.mkSolver();
        Params p = ctx.mkParams();
        p.add("timeout", timeoutMs);
        s.setParameters(p);
        s.add(formula);
        Status st = s.check();
        Map<String, Long> values = new LinkedHashMap<>();
        if (st == Status.SATISFIABLE) {
            Model m = s.getModel();
            for (var e : shown.entrySet()) {
                values.put(e.getKey(), ((BitVecNum) m.eval(e.getValue(), true)).getBigInteger().longValue());
            }
        }
        return new Answer(st, values, st == Status.UNKNOWN ? s.getReasonUnknown() : "");
    }

    /** Proves {@code claim} for all values of its variables: HOLDS, VIOLATED with a counterexample, or UNKNOWN. */
    Verdict prove(String check, String sentence, String citation, BoolExpr claim, Map<String, BitVecExpr> shown, Layout layout,
                  List<String> pteVars) {
        Answer a = solve(ctx.mkNot(claim), shown);
        return switch (a.status()) {
            case UNSATISFIABLE -> new Verdict(check, sentence, citation, Verdict.Status.HOLDS, "proved for every value in the domain");
            case SATISFIABLE -> new Verdict(check, sentence, citation, Verdict.Status.VIOLATED, describe(a.values(), layout, pteVars));
            case UNKNOWN -> new Verdict(check, sentence, citation, Verdict.Status.UNKNOWN, "solver gave up: " + a.reason());
        };
    }

    static String describe(Map<String, Long> values, Layout layout, List<String> pteVars) {
        List<String> parts = new ArrayList<>();
        for (var e : values.entrySet()) {
            String v = e.getKey() + " = 0x" + Long.toHexString(e.getValue());
            if (layout != null && pteVars.contains(e.getKey())) v += " [" + decode(layout, e.getValue()) + "]";
            parts.add(v);
        }
        return String.join(", ", parts);
    }

    /** The single-bit constants of the layout (_PAGE_*, PTE_*) set in a value; aliases joined with '/'. */
    static String decode(Layout layout, long value) {
        Map<Integer, List<String>> byBit = new TreeMap<>();
        for (String name : layout.consts().keySet()) {
            // PTE_MARKER_* are bits of a marker's swap offset (generic.layout), not of the PTE
            if (!(name.startsWith("_PAGE_") || name.startsWith("PTE_")) || name.startsWith("PTE_MARKER") || name.contains("_BIT_")
                    || name.endsWith("SHIFT") || name.endsWith("BITS")) {
                continue;
            }
            long v;
            try {
                v = layout.value(name);
            } catch (RuntimeException e) {
                continue;
            }
            if (Long.bitCount(v) == 1) byBit.computeIfAbsent(Long.numberOfTrailingZeros(v), b -> new ArrayList<>()).add(name);
        }
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((value & (1L << bit)) == 0) continue;
            List<String> names = byBit.get(bit);
            out.add(names == null ? "bit " + bit : String.join("/", names));
        }
        return out.isEmpty() ? "no bits set" : String.join(" | ", out);
    }
}
