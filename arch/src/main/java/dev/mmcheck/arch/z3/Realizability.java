package dev.mmcheck.arch.z3;

import com.microsoft.z3.BitVecExpr;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import com.microsoft.z3.Status;
import dev.mmcheck.arch.layout.ArchFeatures;
import dev.mmcheck.arch.layout.Layout;
import dev.mmcheck.arch.layout.SwapBounds;
import dev.mmcheck.model.profile.Release;
import dev.mmcheck.model.profile.Timeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's abstract PTE states (dev.mmcheck.model.state.Pte: none; present with write, dirty, soft-dirty, special
 * and uffd-wp; swap with exclusive, soft-dirty and uffd-wp; the uffd-wp PTE marker) as conditions on a 64-bit PTE under
 * this arch's macros, at one release. Each state the model can produce on the arch must have an encoding, and no
 * encoding may read as two different states. Bits the arch lacks are not produced by the model on it (the arch's
 * features adapt the profile), so their combinations are not asked for; nor is a writable uffd-wp PTE (pte_mkuffd_wp()
 * write-protects, and the model keeps uffd-wp PTEs read-only). A swap state is a swap-file entry within the kernel's
 * bounds ({@link SwapBounds}); the marker is what pte_marker_uffd_wp() recognizes.
 */
public final class Realizability {
    private final Context ctx;
    private final Terms t;
    private final Prover prover;
    private final Layout layout;
    private final ArchFeatures f;
    private final boolean uffdWp;
    private final boolean markers;
    private final SwapBounds bounds;

    /** The states at the newest release on the timeline. */
    public Realizability(Context ctx, Layout layout, int timeoutMs) {
        this(ctx, layout, Timeline.NEWEST, timeoutMs);
    }

    public Realizability(Context ctx, Layout layout, Release release, int timeoutMs) {
        this.ctx = ctx;
        this.layout = layout;
        this.t = new Terms(ctx, layout);
        this.prover = new Prover(ctx, timeoutMs);
        this.f = layout.features();
        // the uffd-wp bits exist from the release the arch's layout names (x86_64 v5.7, arm64 v6.10); the marker from v5.19
        this.uffdWp = ArchChecks.uffdWpAt(layout, release);
        this.markers = uffdWp && release.atLeast(ArchChecks.PTE_MARKERS);
        this.bounds = SwapBounds.of(layout);
    }

    /** The abstract states the model uses on this arch, by name, as conditions on {@code pte}. */
    public Map<String, BoolExpr> states(BitVecExpr pte) {
        Map<String, BoolExpr> s = new LinkedHashMap<>();
        s.put("none", t.test("pte_none", pte));
        for (int bits = 0; bits < 32; bits++) {
            boolean w = (bits & 1) != 0, d = (bits & 2) != 0, sd = (bits & 4) != 0, sp = (bits & 8) != 0, uw = (bits & 16) != 0;
            if ((sd && !f.softDirty()) || (sp && !f.pteSpecial()) || (uw && (!uffdWp || w))) continue;
            List<BoolExpr> c = new ArrayList<>(List.of(t.test("pte_present", pte), ctx.mkNot(t.test("pte_protnone", pte)),
                    is(t.test("pte_write", pte), w), is(t.test("pte_dirty", pte), d)));
            if (f.softDirty()) c.add(is(t.test("pte_soft_dirty", pte), sd));
            if (f.pteSpecial()) c.add(is(t.test("pte_special", pte), sp));
            if (uffdWp) c.add(is(t.test("pte_uffd_wp", pte), uw));
            s.put("present" + (w ? " RW" : " RO") + (d ? " dirty" : "") + (sd ? " soft-dirty" : "") + (sp ? " special" : "")
                    + (uw ? " uffd-wp" : ""), ctx.mkAnd(c.toArray(BoolExpr[]::new)));
        }
        BitVecExpr e = t.call("pte_to_swp_entry", pte);
        BitVecExpr offset = t.call("swp_offset", e);
        for (int bits = 0; bits < 8; bits++) {
            boolean ex = (bits & 1) != 0, sd = (bits & 2) != 0, uw = (bits & 4) != 0;
            if ((ex && !f.swpExclusive()) || (sd && !f.softDirty()) || (uw && !uffdWp)) continue;
            List<BoolExpr> c = new ArrayList<>(List.of(t.test("is_swap_pte", pte),
                    ctx.mkBVULT(t.call("swp_type", e), t.constant("MAX_SWAPFILES")),
                    ctx.mkBVUGE(offset, t.num(1)), ctx.mkBVULE(offset, t.num(bounds.maxOffset()))));
            if (f.swpExclusive()) c.add(is(t.test("pte_swp_exclusive", pte), ex));
            if (f.softDirty()) c.add(is(t.test("pte_swp_soft_dirty", pte), sd));
            if (uffdWp) c.add(is(t.test("pte_swp_uffd_wp", pte), uw));
            s.put("swap" + (ex ? " exclusive" : "") + (sd ? " soft-dirty" : "") + (uw ? " uffd-wp" : ""), ctx.mkAnd(c.toArray(BoolExpr[]::new)));
        }
        if (markers) s.put("uffd-wp marker", t.test("pte_marker_uffd_wp", pte));
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
        String cite = "dev.mmcheck.model.state.Pte and the arch's pte_*() tests in " + layout.read()
                + (markers ? "; the marker: include/linux/userfaultfd_k.h pte_marker_uffd_wp() (v7.1: pte_is_uffd_wp_marker())" : "");
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
