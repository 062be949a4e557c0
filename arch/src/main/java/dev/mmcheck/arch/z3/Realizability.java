package dev.mmcheck.arch.z3;

import com.microsoft.z3.BitVecExpr;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import com.microsoft.z3.Status;
import dev.mmcheck.arch.layout.ArchFeatures;
import dev.mmcheck.arch.layout.Layout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's abstract PTE states (dev.mmcheck.model.state.Pte: none; present with write, dirty,
 * soft-dirty, special; swap with exclusive and soft-dirty) as conditions on a 64-bit PTE under this
 * arch's macros. Each state the model can produce on the arch must have an encoding, and no encoding
 * may read as two different states. Bits the arch lacks are not produced by the model on it (the
 * arch's features adapt the profile), so their combinations are not asked for.
 */
public final class Realizability {
    private final Context ctx;
    private final Terms t;
    private final Prover prover;
    private final Layout layout;
    private final ArchFeatures f;

    public Realizability(Context ctx, Layout layout, int timeoutMs) {
        this.ctx = ctx;
        this.layout = layout;
        this.t = new Terms(ctx, layout);
        this.prover = new Prover(ctx, timeoutMs);
        this.f = layout.features();
    }

    /** The abstract states the model uses on this arch, by name, as conditions on {@code pte}. */
    public Map<String, BoolExpr> states(BitVecExpr pte) {
        Map<String, BoolExpr> s = new LinkedHashMap<>();
        s.put("none", t.test("pte_none", pte));
        for (int bits = 0; bits < 16; bits++) {
            boolean w = (bits & 1) != 0, d = (bits & 2) != 0, sd = (bits & 4) != 0, sp = (bits & 8) != 0;
            if ((sd && !f.softDirty()) || (sp && !f.pteSpecial())) continue;
            List<BoolExpr> c = new ArrayList<>(List.of(t.test("pte_present", pte), ctx.mkNot(t.test("pte_protnone", pte)),
                    is(t.test("pte_write", pte), w), is(t.test("pte_dirty", pte), d)));
            if (f.softDirty()) c.add(is(t.test("pte_soft_dirty", pte), sd));
            if (f.pteSpecial()) c.add(is(t.test("pte_special", pte), sp));
            s.put("present" + (w ? " RW" : " RO") + (d ? " dirty" : "") + (sd ? " soft-dirty" : "") + (sp ? " special" : ""),
                    ctx.mkAnd(c.toArray(BoolExpr[]::new)));
        }
        BitVecExpr e = t.call("__pte_to_swp_entry", pte);
        for (int bits = 0; bits < 4; bits++) {
            boolean ex = (bits & 1) != 0, sd = (bits & 2) != 0;
            if ((ex && !f.swpExclusive()) || (sd && !f.softDirty())) continue;
            List<BoolExpr> c = new ArrayList<>(List.of(ctx.mkNot(t.test("pte_none", pte)), ctx.mkNot(t.test("pte_present", pte)),
                    ctx.mkBVULT(t.call("__swp_type", e), t.constant("MAX_SWAPFILES"))));
            if (f.swpExclusive()) c.add(is(t.test("pte_swp_exclusive", pte), ex));
            if (f.softDirty()) c.add(is(t.test("pte_swp_soft_dirty", pte), sd));
            s.put("swap" + (ex ? " exclusive" : "") + (sd ? " soft-dirty" : ""), ctx.mkAnd(c.toArray(BoolExpr[]::new)));
        }
        return s;
    }

    private BoolExpr is(BoolExpr b, boolean value) {
        return value ? b : ctx.mkNot(b);
    }

    public List<Verdict> all() {
        BitVecExpr pte = t.var("pte");
        Map<String, BoolExpr> states = states(pte);
        List<String> missing = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (var s : states.entrySet()) {
            Prover.Answer a = prover.solve(s.getValue(), Map.of("pte", pte));
            if (a.status() == Status.UNSATISFIABLE) missing.add(s.getKey());
            if (a.status() == Status.UNKNOWN) unknown.add(s.getKey());
        }
        String cite = "dev.mmcheck.model.state.Pte and the arch's pte_*() tests in " + layout.read();
        Verdict realizable = !missing.isEmpty()
                ? new Verdict("abstract-states-realizable", realizableSentence(states.size()), cite, Verdict.Status.VIOLATED,
                "no PTE encodes: " + String.join("; ", missing))
                : !unknown.isEmpty()
                ? new Verdict("abstract-states-realizable", realizableSentence(states.size()), cite, Verdict.Status.UNKNOWN,
                "solver gave up on: " + String.join("; ", unknown))
                : new Verdict("abstract-states-realizable", realizableSentence(states.size()), cite, Verdict.Status.HOLDS,
                "each of the " + states.size() + " states has an encoding");
        List<String> overlaps = new ArrayList<>();
        List<String> names = new ArrayList<>(states.keySet());
        boolean anyUnknown = false;
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                Prover.Answer a = prover.solve(ctx.mkAnd(states.get(names.get(i)), states.get(names.get(j))), Map.of("pte", pte));
                if (a.status() == Status.SATISFIABLE) {
                    long v = a.values().get("pte");
                    overlaps.add(names.get(i) + " and " + names.get(j) + " share pte = 0x" + Long.toHexString(v)
                            + " [" + Prover.decode(layout, v) + "]");
                }
                anyUnknown |= a.status() == Status.UNKNOWN;
            }
        }
        String distinctSentence = "no PTE value reads as two different abstract states";
        Verdict distinct = !overlaps.isEmpty()
                ? new Verdict("abstract-states-distinct", distinctSentence, cite, Verdict.Status.VIOLATED, String.join("; ", overlaps))
                : anyUnknown ? new Verdict("abstract-states-distinct", distinctSentence, cite, Verdict.Status.UNKNOWN, "solver gave up on a pair")
                : new Verdict("abstract-states-distinct", distinctSentence, cite, Verdict.Status.HOLDS,
                "all " + names.size() * (names.size() - 1) / 2 + " pairs are disjoint");
        return List.of(realizable, distinct);
    }

    private String realizableSentence(int n) {
        return "each of the " + n + " abstract PTE states the model uses on " + layout.arch() + " has a 64-bit encoding";
    }
}
