package dev.mmcheck.lib.run;

import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.scenario.Exploration;
import dev.mmcheck.model.scenario.Programs;
import dev.mmcheck.model.scenario.Scenario;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a spec's state space does, abstracted so that two rule sets can be compared: the reachable final outcomes (what
 * each process would load at each page and read through each named reference once every program has ended) and the
 * abstract behaviours (an operation and what it did to each PTE it changed, with the page's refcount, mapcount,
 * PG_anon_exclusive and pin state before, e.g. "write fault: own PTE R/O anon page (ref 2, map 1) -> RW same page").
 * Each comes with a witness: the first trace, breadth-first, that shows it (so a shortest one).
 *
 * @param outcomes   outcome to witness trace (empty for explorations, which have no end)
 * @param behaviours behaviour to witness trace, the last step being the one that shows it
 * @param states     distinct states explored
 * @param complete   false when the state bound stopped the exploration
 */
public record Behaviours(Map<String, List<String>> outcomes, Map<String, List<String>> behaviours, long states, boolean complete) {

    /** Explores the spec (its variants applied to {@code base}) breadth-first, to its depth and state bounds. */
    public static Behaviours of(Spec spec, Profile base) throws SpecException {
        Profile profile = Runner.profileFor(spec, base);
        MmState init = Runner.initialState(spec, profile);
        if (spec.isExploration()) {
            return explore(spec, new Exploration(profile, init, spec.alphabet()), s -> false);
        }
        Programs programs = new Programs(profile, init, spec.programs());
        return explore(spec, programs, programs::finished);
    }

    private record Node(int[] parent, String call, int depth) {
    }

    /** A state waiting to be expanded, with the encoding it was stored under (computed once). */
    private record Entry<S>(S state, Key key) {
    }

    private record Key(int[] words) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(words, k.words);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(words);
        }
    }

    private static <S, A> Behaviours explore(Spec spec, Scenario<S, A> scenario, Predicate<S> finished) {
        Map<Key, Node> seen = new HashMap<>();
        Map<String, List<String>> outcomes = new LinkedHashMap<>();
        Map<String, List<String>> behaviours = new LinkedHashMap<>();
        ArrayDeque<Entry<S>> frontier = new ArrayDeque<>();
        long limit = Math.min(spec.maxStates(), 2_000_000);
        boolean complete = true;
        for (S s : scenario.initialStates()) {
            Key k = key(scenario, s);
            if (seen.putIfAbsent(k, new Node(null, "", 0)) == null) frontier.add(new Entry<>(s, k));
        }
        List<A> actions = new ArrayList<>();
        while (!frontier.isEmpty()) {
            Entry<S> e = frontier.poll();
            S s = e.state();
            Key k = e.key();
            Node node = seen.get(k);
            if (finished.test(s)) outcomes.putIfAbsent(outcome(spec, scenario.mm(s)), trace(seen, k));
            if (spec.isExploration() && node.depth() >= spec.depth()) continue;
            actions.clear();
            scenario.enabled(s, actions);
            for (A a : actions) {
                S next = scenario.next(s, a);
                if (next == null) continue;
                String call = scenario.describe(s, a);
                String b = behaviour(scenario.operation(s, a), scenario.mm(s), scenario.mm(next), spec.pages());
                if (!behaviours.containsKey(b)) {
                    List<String> t = new ArrayList<>(trace(seen, k));
                    t.add(call);
                    behaviours.put(b, List.copyOf(t));
                }
                Key nk = key(scenario, next);
                if (seen.containsKey(nk)) continue;
                if (seen.size() >= limit) {
                    complete = false;
                    continue;
                }
                seen.put(nk, new Node(k.words(), call, node.depth() + 1));
                frontier.add(new Entry<>(next, nk));
            }
        }
        return new Behaviours(Collections.unmodifiableMap(outcomes), Collections.unmodifiableMap(behaviours), seen.size(), complete);
    }

    private static <S, A> Key key(Scenario<S, A> scenario, S s) {
        int[][] buf = {new int[64]};
        int[] n = {0};
        scenario.encode(s, w -> {
            if (n[0] == buf[0].length) buf[0] = Arrays.copyOf(buf[0], n[0] * 2);
            buf[0][n[0]++] = w;
        });
        return new Key(Arrays.copyOf(buf[0], n[0]));
    }

    private static List<String> trace(Map<Key, Node> seen, Key k) {
        List<String> calls = new ArrayList<>();
        for (Node n = seen.get(k); n.parent() != null; n = seen.get(new Key(n.parent()))) calls.add(n.call());
        Collections.reverse(calls);
        return List.copyOf(calls);
    }

    /** What the processes observe at the end: each live process's load at each mapped page, each named reference's read. */
    static String outcome(Spec spec, MmState s) {
        List<String> parts = new ArrayList<>();
        for (int p = 0; p < s.processes().size(); p++) {
            Pid pid = new Pid(p);
            if (!s.process(pid).alive()) continue;
            for (int a = 0; a < spec.pages(); a++) {
                var d = s.dataAt(pid, new Vaddr(a));
                if (d != null) parts.add(pid + ":" + new Vaddr(a) + "=" + hex(d.value()));
            }
        }
        for (GupRef r : s.refs()) {
            if (r.label() > 0) parts.add(r.owner() + ":" + spec.labels().get(r.label() - 1) + "=" + hex(s.dataOf(r.folio()).value()));
        }
        return parts.isEmpty() ? "nothing mapped" : String.join(" ", parts);
    }

    private static String hex(int v) {
        return String.format("0x%02x", v);
    }

    /** The operation's kind and what it did to each PTE and PMD it changed, with the pages' state before. */
    static String behaviour(Op op, MmState before, MmState after, int pages) {
        java.util.TreeMap<String, Integer> changes = new java.util.TreeMap<>();
        for (int p = 0; p < after.processes().size(); p++) {
            Pid pid = new Pid(p);
            boolean existed = p < before.processes().size() && before.process(pid).alive();
            String who = pid.equals(op.pid()) ? "own" : existed ? "another process's" : "new process's";
            for (int a = 0; a < pages; a++) {
                Vaddr va = new Vaddr(a);
                Pte b = existed ? before.process(pid).pte(va) : null;
                Pte x = after.process(pid).alive() ? after.process(pid).pte(va) : null;
                if (java.util.Objects.equals(b, x)) continue;
                changes.merge(who + " PTE " + pte(b, before) + " -> " + pteAfter(b, x, before, after), 1, Integer::sum);
            }
            if (existed && after.process(pid).alive() && !before.process(pid).pmds().equals(after.process(pid).pmds())) {
                for (int i = 0; i < after.process(pid).pmds().size(); i++) {
                    Pmd pb = before.process(pid).pmds().get(i);
                    Pmd pa = after.process(pid).pmds().get(i);
                    if (!pb.equals(pa)) changes.merge(who + " PMD " + pmd(pb) + " -> " + pmd(pa), 1, Integer::sum);
                }
            }
        }
        String kind = op.entryPoint().name().toLowerCase().replace('_', ' ');
        List<String> parts = new ArrayList<>();
        changes.forEach((c, n) -> parts.add(n == 1 ? c : c + " (x" + n + ")"));
        return kind + ": " + (parts.isEmpty() ? "no page table change" : String.join("; ", parts));
    }

    private static String pmd(Pmd p) {
        if (p instanceof Pmd.Huge h) return (h.write() ? "RW" : "R/O") + " huge";
        return p.getClass().getSimpleName().toLowerCase();
    }

    private static String pte(Pte p, MmState s) {
        if (p == null) return "none (no process)";
        if (p instanceof Pte.Present pr) return (pr.write() ? "RW " : "R/O ") + page(pr.folio(), s);
        return p.getClass().getSimpleName().toLowerCase() + " entry";
    }

    private static String pteAfter(Pte b, Pte x, MmState before, MmState after) {
        if (x == null) return "gone (process exited)";
        if (!(x instanceof Pte.Present pr)) return x.getClass().getSimpleName().toLowerCase() + " entry";
        String rw = pr.write() ? "RW " : "R/O ";
        FolioId f = pr.folio();
        if (b instanceof Pte.Present pb && pb.folio().equals(f)) return rw + "same page";
        if (f.isAnyZero()) return rw + f;
        boolean existed = f.index() < before.folios().size() && !before.folio(f).isFree();
        return rw + (existed ? "other existing " + page(f, before) : "new " + kind(f, after) + " page");
    }

    private static String kind(FolioId f, MmState s) {
        if (f.isAnyZero()) return f.toString();
        var folio = s.folio(f);
        return (folio.isAnon() ? "anon" : "file") + (folio.part().large() ? " large-folio" : "");
    }

    /** A page as the decision sees it: kind, refcount, mapcount, exclusive, maybe pinned. */
    private static String page(FolioId f, MmState s) {
        if (f.isAnyZero()) return f.toString();
        var folio = s.folio(f);
        var head = s.folio(s.head(f)); // a large folio keeps its refcount and pincount on the head
        StringBuilder b = new StringBuilder(kind(f, s)).append(" page (ref ").append(head.refcount()).append(", map ").append(folio.mapcount());
        if (folio.has(FolioFlag.ANON_EXCLUSIVE)) b.append(", exclusive");
        if (head.has(FolioFlag.KSM)) b.append(", KSM");
        if (head.maybeDmaPinned()) b.append(", maybe pinned");
        return b.append(')').toString();
    }
}
