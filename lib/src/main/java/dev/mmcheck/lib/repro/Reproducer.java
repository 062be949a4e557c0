package dev.mmcheck.lib.repro;

import dev.mmcheck.lib.Lookup;
import dev.mmcheck.lib.Version;
import dev.mmcheck.lib.report.CounterexampleFile;
import dev.mmcheck.lib.report.TextReport;
import dev.mmcheck.lib.repro.CProgram.CStep;
import dev.mmcheck.lib.repro.CProgram.Expect;
import dev.mmcheck.lib.repro.CProgram.RefKind;
import dev.mmcheck.lib.repro.ModelRun.Event;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.Runner;
import dev.mmcheck.lib.run.Verdict;
import dev.mmcheck.lib.spec.Condition;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.invariant.Catalogue;
import dev.mmcheck.model.invariant.Invariant;
import dev.mmcheck.model.invariant.Violation;
import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.rules.Rules;
import dev.mmcheck.model.rules.Step;
import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;
import dev.mmcheck.model.state.VmaKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A minimal counterexample as a standalone C program for a real kernel, in the style of the kernel's
 * tools/testing/selftests/mm/cow.c: one process per model process, each step issued by the process the trace
 * issues it in and in the trace's order (a harness hands out the steps over pipes and waits for each answer), then
 * a check of what the trace says userspace observes, printed in kselftest's TAP ("ok 1", "not ok 1",
 * "ok 1 # SKIP" with exit status 0, 1, 4).
 *
 * <p>Each model operation becomes the system call that makes the kernel run it: mmap(), a store, fork(),
 * vmsplice() for a R/O FOLL_GET reference, io_uring fixed buffers for a R/W longterm pin, gup_test's
 * PIN_LONGTERM_TEST for a R/O longterm pin, MADV_PAGEOUT for reclaim, /proc/self/clear_refs, mprotect(), madvise(),
 * KSM through /sys/kernel/mm/ksm. An operation userspace cannot make happen (a driver's special mapping, a
 * short-term pin held across system calls, ksmd's zeropage merge, s390 storage keys, an operation this generator
 * does not know) gives a program that says so in its comment and only reports the skip. The check is what
 * userspace can see of the violated property (a forbidden outcome over loads and reads through references; a pin
 * that no longer sees its owner's page; a process that reads another's later store); a property about kernel-internal
 * state gives a program that runs every step and then skips its check, saying why.
 */
public final class Reproducer {
    private Reproducer() {
    }

    /** Where page A goes; each page i lies at A + (2i + 1) pages (the runtime's PAGES_AT). */
    private static final String BUILD = "cc -Wall -O2 -o repro repro.c";

    /**
     * The property a reproducer of this report shows: the first violated property with a trace whose violation
     * userspace can observe, else the first violated property with a trace; empty when nothing is violated.
     */
    public static Optional<PropertyReport> property(CheckReport r) throws SpecException {
        List<PropertyReport> violated = r.properties().stream()
                .filter(p -> p.verdict() == Verdict.VIOLATED && p.trace().isPresent()).toList();
        for (PropertyReport p : violated) {
            if (build(CounterexampleFile.of(r, p), recorded(r), List.of()).observable) return Optional.of(p);
        }
        return violated.stream().findFirst();
    }

    /** The program for the property {@link #property(CheckReport)} chooses; IllegalArgumentException if none is violated. */
    public static String program(CheckReport r) throws SpecException {
        PropertyReport p = property(r).orElseThrow(() -> new IllegalArgumentException(r.spec() + ": no violated property"));
        List<String> others = r.properties().stream()
                .filter(q -> q != p && q.verdict() == Verdict.VIOLATED && q.trace().isPresent()).map(PropertyReport::name).toList();
        return program(CounterexampleFile.of(r, p), recorded(r), others);
    }

    /**
     * The program for a saved counterexample, run under {@code base} (the recorded profile: {@link
     * Lookup#recorded}); {@code alsoViolated} names other properties the same run broke, for the header. The
     * counterexample must still violate under {@code base} (replay it first): else IllegalArgumentException.
     */
    public static String program(CounterexampleFile cx, Profile base, List<String> alsoViolated) throws SpecException {
        return CProgram.render(build(cx, base, alsoViolated).parts());
    }

    private static Profile recorded(CheckReport r) {
        return Lookup.recorded(r.profile(), r.release(), r.decisions());
    }

    private static Builder build(CounterexampleFile cx, Profile base, List<String> alsoViolated) throws SpecException {
        Spec spec = SpecParser.parse(cx.specFile(), cx.specText());
        Runner.Replayed replayed = Runner.replay(spec, base, cx.initialIndex(), cx.actionIndices(), cx.calls(), cx.property());
        if (replayed.divergedAt() > 0 || !replayed.violated()) {
            throw new IllegalArgumentException(cx.property() + " in " + spec.name() + " is not violated along the trace under "
                    + base.name() + (replayed.divergedAt() > 0 ? " (" + replayed.divergence() + ")" : ""));
        }
        Profile profile = Runner.profileFor(spec, base);
        List<Event> events = ModelRun.events(spec, profile, cx.initialIndex(), cx.actionIndices(), cx.calls());
        Builder b = new Builder(spec, profile, cx, events);
        b.translate();
        b.header(replayed, alsoViolated);
        return b;
    }

    /** A GUP reference of the trace, as the program holds it. */
    private static final class Handle {
        final int n;
        final Pid owner;
        final RefKind kind;
        final String name;
        GupRef ref;
        boolean live = true;

        Handle(int n, Pid owner, RefKind kind, String name, GupRef ref) {
            this.n = n;
            this.owner = owner;
            this.kind = kind;
            this.name = name;
            this.ref = ref;
        }
    }

    /** What the check reads: a load by a process from a page, or a read through a reference. */
    private record Observation(String name, Pid pid, Vaddr page, Handle handle) {
    }

    /** Turns the model's run into the program's parts. */
    private static final class Builder {
        private final Spec spec;
        private final Profile profile;
        private final CounterexampleFile cx;
        private final List<Event> events;
        private final List<CStep> steps = new ArrayList<>();
        private final Set<String> sections = new LinkedHashSet<>();
        private final Set<RefKind> refKinds = EnumSet.noneOf(RefKind.class);
        private final List<Handle> handles = new ArrayList<>();
        private final List<String> preflight = new ArrayList<>();
        private final List<String> cleanup = new ArrayList<>();
        private final List<String> check = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final int[] parent = new int[MmState.MAX_PROCESSES];
        private final Map<String, Integer> observed = new LinkedHashMap<>();
        private List<String> header = List.of();
        private int slots;
        private boolean forks;
        private boolean readRefs;
        private boolean swapNeeded;
        private boolean ksmNeeded;
        private boolean fileNeeded;
        private boolean gupNeeded;
        private boolean observable;
        private String skipAll;

        Builder(Spec spec, Profile profile, CounterexampleFile cx, List<Event> events) {
            this.spec = spec;
            this.profile = profile;
            this.cx = cx;
            this.events = events;
            java.util.Arrays.fill(parent, CProgram.HARNESS);
        }

        CProgram.Parts parts() {
            return new CProgram.Parts(header, skipAll, spec.processes(), spec.pages(), slots, steps, sections, refKinds, readRefs,
                    forks, preflight, cleanup, check, observable);
        }

        void translate() {
            for (Event e : events) {
                step(e);
                if (skipAll != null) return;
                references(e);
                if (skipAll != null) return;
            }
            preflight();
            MmState last = events.isEmpty() ? MmState.initial(spec.processes(), spec.pages()) : events.getLast().after();
            verdict(last);
        }

        private void unsupported(Event e, String why) {
            if (skipAll != null) return;
            String where = (e.label().equals("setup") ? "setup step " : "step " + e.label() + " ") + "(" + e.op().call() + ")";
            skipAll = where + " cannot be triggered from userspace: " + why;
        }

        private static String text(Event e) {
            return (e.label().equals("setup") ? "setup: " : e.label() + ". ") + e.op().call();
        }

        private static Expect expect(Event e, boolean failureIsNoCall) {
            if (e.done()) return Expect.EXPECT_DONE;
            return failureIsNoCall ? Expect.EXPECT_ANY : Expect.EXPECT_FAILED;
        }

        private void add(int proc, Expect expect, String text, String... body) {
            steps.add(new CStep(proc, expect, -1, -1, text, List.of(body)));
        }

        /** A step the model runs without changing anything (its call fails): the program has nothing to issue. */
        private void noCall(Event e, String why) {
            add(e.op().pid().index(), Expect.EXPECT_ANY, text(e), "/* " + CProgram.comment(why) + " */");
        }

        private static String failure(Event e) {
            return e.step().path().isEmpty() ? "the model's call fails" : "the model's call fails: " + e.step().path().getLast();
        }

        private void step(Event e) {
            int proc = e.op().pid().index();
            switch (e.op()) {
                case Op.Read r -> {
                    sections.add("load");
                    add(proc, expect(e, false), text(e), "r->status = load(" + r.addr().index() + ", &r->value);");
                }
                case Op.Write w when w.steps() -> unsupported(e, "a write fault whose counterexample interleaves inside "
                        + "do_huge_pmd_wp_page()'s mapcount reads: userspace cannot aim at it; skipped");
                case Op.Mprotect m when m.steps() -> unsupported(e, "an mprotect() whose counterexample interleaves inside "
                        + "__split_huge_pmd_locked(): userspace cannot aim at it; skipped");
                case Op.Write w -> {
                    sections.add("store");
                    add(proc, expect(e, false), text(e), "r->status = store(" + w.addr().index() + ", " + hex(w.value()) + ");");
                }
                case Op.Mmap m -> mmap(e, m);
                case Op.Munmap m -> {
                    sections.add("status");
                    // munmap() of a range with no VMA succeeds; the model's call fails and changes nothing
                    add(proc, e.done() ? Expect.EXPECT_DONE : Expect.EXPECT_ANY, text(e),
                            "r->status = status_of(r, munmap(page(" + m.addr().index() + "), pagesize));");
                }
                case Op.Mprotect m -> {
                    sections.add("status");
                    add(proc, expect(e, e.before().process(m.pid()).vma(m.addr()).mapped()), text(e),
                            "r->status = status_of(r, mprotect(page(" + m.addr().index() + "), pagesize, " + prot(m.write()) + "));");
                }
                case Op.Madvise m -> madvise(e, m);
                case Op.Reclaim r when r.steps() -> unsupported(e, "a reclaim whose counterexample interleaves inside "
                        + "try_to_unmap_one(), on a weakly ordered CPU: userspace cannot aim at it; skipped");
                case Op.Reclaim r -> reclaim(e, r.pid(), r.addr());
                case Op.ClearSoftDirty c -> {
                    sections.add("clear-refs");
                    add(proc, expect(e, false), text(e), "r->status = clear_soft_dirty(r);");
                }
                case Op.Fork f when f.steps() -> unsupported(e, "a fork() whose counterexample interleaves inside the kernel, between "
                        + "copy_present_pte()'s pinned check and its write-protect: userspace can only race fork() against "
                        + "pin_user_pages_fast() in another thread, in a loop, and hope; skipped");
                case Op.Collapse c when c.steps() -> unsupported(e, "a collapse whose counterexample interleaves inside the kernel, "
                        + "between pmdp_collapse_flush() and the copy: userspace can only race MADV_COLLAPSE against GUP-fast in a loop; skipped");
                case Op.Gup g when g.has(dev.mmcheck.model.state.GupFlag.STEPS) -> unsupported(e, "a GUP-fast walk whose counterexample "
                        + "interleaves inside its lockless steps: userspace can only race it in a loop and hope; skipped");
                case Op.Fork f -> {
                    sections.add("spawn");
                    forks = true;
                    parent[f.child().index()] = proc;
                    steps.add(new CStep(proc, Expect.EXPECT_DONE, f.child().index(), -1, text(e),
                            List.of("r->status = spawn(r, " + f.child().index() + ");")));
                }
                case Op.Exit x -> exit(e, x);
                case Op.Gup g -> gup(e, g);
                case Op.Release r -> {
                    Handle h = handle(r.ref());
                    if (h == null) {
                        unsupported(e, "the model releases a reference the program does not hold");
                        return;
                    }
                    add(proc, Expect.EXPECT_DONE, text(e), "release_ref(" + h.n + ");");
                }
                case Op.RefWrite w -> {
                    Handle h = handle(w.ref());
                    if (!e.done()) {
                        noCall(e, failure(e));
                    } else if (h == null || h.kind != RefKind.RING_REF) {
                        unsupported(e, "only an io_uring fixed buffer lets userspace write through a reference");
                    } else {
                        sections.add("ring-dma");
                        add(proc, Expect.EXPECT_DONE, text(e), "r->status = ring_dma(r, " + h.n + ", " + hex(w.value()) + ");");
                    }
                }
                case Op.MigrateStart m when m.steps() -> unsupported(e, "a migration whose counterexample interleaves inside "
                        + "try_to_migrate_one(), on a weakly ordered CPU: userspace cannot aim at it; skipped");
                case Op.KsmMerge m when m.steps() -> unsupported(e, "a KSM merge whose counterexample interleaves inside "
                        + "write_protect_page(), on a weakly ordered CPU: userspace cannot aim at it; skipped");
                case Op.KsmMerge m -> ksmMerge(e, m);
                case Op.KsmZero z -> unsupported(e, "ksmd's merge of a zero-filled page into the shared zeropage "
                        + "(use_zero_pages) cannot be aimed at one page");
                case Op.EnableSkeys s -> unsupported(e, "s390 storage keys are enabled by a KVM guest (s390_enable_skey()), "
                        + "not by a system call");
                case Op.ProcMemWrite w -> unsupported(e, "a write to /proc/PID/mem whose counterexample interleaves inside the kernel, "
                        + "between GUP's retries: userspace can only race pwrite(/proc/PID/mem) in a loop against madvise(MADV_DONTNEED) "
                        + "in another thread (the Dirty COW proof of concept) and hope; skipped");
                default -> unsupported(e, "this generator does not know the operation; skipped");
            }
        }

        private void mmap(Event e, Op.Mmap m) {
            int proc = m.pid().index();
            String prot = prot(m.write());
            switch (m.kind()) {
                case ANON_PRIVATE -> {
                    sections.add("map-anon");
                    add(proc, expect(e, false), text(e), "r->status = map_anon(r, " + m.addr().index() + ", " + prot + ");");
                }
                case FILE_PRIVATE, FILE_SHARED -> {
                    sections.add("map-file");
                    fileNeeded = true;
                    add(proc, expect(e, false), text(e), "r->status = map_file(r, " + m.addr().index() + ", " + prot + ", "
                            + (m.kind() == VmaKind.FILE_SHARED ? "MAP_SHARED" : "MAP_PRIVATE") + ");");
                }
                default -> unsupported(e, switch (m.kind().backing()) {
                    case REMAP_PFN, FAULT_PFN -> "a VM_PFNMAP mapping of device memory needs a driver (remap_pfn_range(), vmf_insert_pfn())";
                    case DRIVER_PAGES, ZERO_PAGES -> "a VM_MIXEDMAP mapping needs a driver (vm_insert_page(), vm_map_pages())";
                    case DAX -> "an FSDAX file needs ext4 or XFS mounted with -o dax on a pmem device";
                    case FUSE_DAX -> "a fuse DAX file needs virtiofs mounted with DAX";
                    default -> "the generator does not know mappings of kind " + m.kind().specName();
                });
            }
        }

        private void madvise(Event e, Op.Madvise m) {
            int proc = m.pid().index();
            boolean mapped = e.before().process(m.pid()).vma(m.addr()).mapped();
            if (m.advice() == Op.Advice.PAGEOUT) {
                pageout(e, m.pid(), m.addr());
                return;
            }
            if (m.advice() == Op.Advice.MERGEABLE) ksmNeeded = true;
            sections.add("status");
            add(proc, expect(e, mapped), text(e), "r->status = status_of(r, madvise(page(" + m.addr().index() + "), pagesize, "
                    + m.advice().kernelName() + "));");
        }

        private void reclaim(Event e, Pid p, Vaddr a) {
            if (!e.done()) {
                noCall(e, failure(e));
                return;
            }
            Pte pte = e.before().process(p).pte(a);
            int mapcount = pte instanceof Pte.Present pr && !pr.folio().isZero() ? e.before().folio(pr.folio()).mapcount() : 0;
            if (mapcount != 1) {
                unsupported(e, "reclaim of a folio mapped " + mapcount + " times: MADV_PAGEOUT pages out only a folio mapped "
                        + "once, and kswapd cannot be aimed at one page");
                return;
            }
            pageout(e, p, a);
        }

        private void pageout(Event e, Pid p, Vaddr a) {
            boolean swapped = e.after().process(p).pte(a) instanceof Pte.Swap;
            swapNeeded |= swapped;
            sections.add("pageout");
            if (swapped) sections.add("swap");
            add(p.index(), expect(e, false), text(e), "r->status = pageout(r, " + a.index() + ", " + (swapped ? 1 : 0) + ");");
        }

        private void exit(Event e, Op.Exit x) {
            int p = x.pid().index();
            add(p, Expect.EXPECT_DONE, text(e), "leaving = 1;");
            sections.add("reap");
            int waiter = parent[p];
            if (waiter != CProgram.HARNESS && e.after().process(new Pid(waiter)).alive()) {
                steps.add(new CStep(waiter, Expect.EXPECT_DONE, -1, p, "wait: P" + waiter + " waits for P" + p + "'s exit",
                        List.of("r->status = reap(r, child[" + p + "]);")));
            } else {
                steps.add(new CStep(CProgram.HARNESS, Expect.EXPECT_DONE, -1, p, "wait: the harness waits for P" + p + "'s exit",
                        List.of("r->status = reap(r, pid[" + p + "]);")));
            }
            for (int c = 0; c < parent.length; c++) {
                if (parent[c] == p) parent[c] = CProgram.HARNESS;
            }
        }

        private void gup(Event e, Op.Gup g) {
            int proc = g.pid().index();
            int page = g.addr().index();
            boolean pin = g.has(GupFlag.PIN);
            boolean write = g.has(GupFlag.WRITE);
            boolean longterm = g.has(GupFlag.LONGTERM);
            int n = slots;
            if (!pin && !write && !longterm) {
                sections.add("pipe-ref");
                refKinds.add(RefKind.PIPE_REF);
                add(proc, expect(e, false), text(e), "r->status = pipe_ref(r, " + n + ", " + page + ");");
            } else if (pin && write && longterm) {
                sections.add("ring-ref");
                refKinds.add(RefKind.RING_REF);
                add(proc, expect(e, false), text(e), "r->status = ring_ref(r, " + n + ", " + page + ");");
            } else if (pin && longterm) {
                if (handles.stream().anyMatch(h -> h.live && h.kind == RefKind.GUP_REF)) {
                    unsupported(e, "a second R/O longterm pin while the first is held: gup_test holds one range at a time");
                    return;
                }
                sections.add("gup-ref");
                refKinds.add(RefKind.GUP_REF);
                gupNeeded = true;
                add(proc, expect(e, false), text(e), "r->status = gup_ref(r, " + n + ", " + page + ", "
                        + (g.has(GupFlag.FAST) ? "1);\t/* pin_user_pages_fast() */" : "0);\t/* pin_user_pages() */"));
            } else {
                String flags = (pin ? "FOLL_PIN" : "FOLL_GET") + (write ? "|FOLL_WRITE" : "") + (longterm ? "|FOLL_LONGTERM" : "");
                unsupported(e, "no system call holds a " + flags + " reference from one system call to the next"
                        + (pin || write ? " (O_DIRECT holds one only while its I/O is in flight)" : ""));
                return;
            }
            slots++;
        }

        private void ksmMerge(Event e, Op.KsmMerge m) {
            if (!e.done()) {
                steps.add(new CStep(CProgram.HARNESS, Expect.EXPECT_ANY, -1, -1, text(e),
                        List.of("/* " + CProgram.comment(failure(e)) + " */")));
                return;
            }
            MmState s = e.before();
            int value = s.dataAt(m.pid(), m.addr()).value();
            List<String> candidates = new ArrayList<>();
            for (int q = 0; q < s.processes().size(); q++) {
                if (!s.processes().get(q).alive()) continue;
                for (int a = 0; a < s.pageCount(); a++) {
                    Vma vma = s.processes().get(q).vma(new Vaddr(a));
                    if (!vma.mergeable() || !(s.processes().get(q).pte(new Vaddr(a)) instanceof Pte.Present pr)) continue;
                    if (pr.folio().isZero() || !s.folio(pr.folio()).isAnon() || s.folio(pr.folio()).data().value() != value) continue;
                    candidates.add("P" + q + " " + new Vaddr(a));
                }
            }
            List<String> pair = List.of(m.pid() + " " + m.addr(), m.other() + " " + m.otherAddr());
            if (candidates.size() != 2 || !candidates.containsAll(pair)) {
                unsupported(e, "ksmd merges every mergeable page of equal content, and here that is " + candidates
                        + ", not only the two the trace merges");
                return;
            }
            ksmNeeded = true;
            sections.add("ksm");
            steps.add(new CStep(CProgram.HARNESS, Expect.EXPECT_DONE, -1, -1, text(e), List.of("r->status = ksm_merge(r, "
                    + m.pid().index() + ", " + m.addr().index() + ", " + m.other().index() + ", " + m.otherAddr().index() + ");")));
        }

        /** The live handle whose reference is this one (in the state before the step). */
        private Handle handle(GupRef ref) {
            for (Handle h : handles) {
                if (h.live && h.ref.equals(ref)) return h;
            }
            return null;
        }

        /**
         * Follows the references across a step: each live handle to its reference in the new state (the same, the
         * same detached from its page table, or the same request on another folio), a new reference to a new
         * handle; a reference may end only by its release or its owner's exit, as it does in the program.
         */
        private void references(Event e) {
            List<GupRef> pool = new ArrayList<>(e.after().refs());
            for (Handle h : handles) {
                if (!h.live) continue;
                GupRef m = find(pool, r -> r.equals(h.ref));
                if (m == null) m = find(pool, r -> r.equals(h.ref.detach()));
                if (m == null) m = find(pool, r -> r.owner().equals(h.ref.owner()) && r.addr().equals(h.ref.addr())
                        && r.flags() == h.ref.flags() && r.label() == h.ref.label());
                if (m != null) {
                    h.ref = m;
                    pool.remove(m);
                    continue;
                }
                boolean released = e.op() instanceof Op.Release r && r.ref().equals(h.ref)
                        || e.op() instanceof Op.Exit x && x.pid().equals(h.owner);
                if (!released) {
                    unsupported(e, "the model drops a GUP reference (" + h.name + ") that the program would still hold");
                    return;
                }
                h.live = false;
            }
            if (pool.isEmpty()) return;
            if (pool.size() == 1 && e.op() instanceof Op.Gup g && e.done()) {
                GupRef r = pool.getFirst();
                RefKind kind = !g.has(GupFlag.PIN) ? RefKind.PIPE_REF : g.has(GupFlag.WRITE) ? RefKind.RING_REF : RefKind.GUP_REF;
                String name = g.labelName().isEmpty() ? "reference " + (slots - 1) : g.labelName();
                handles.add(new Handle(slots - 1, r.owner(), kind, name, r));
                return;
            }
            unsupported(e, "the model's step leaves a GUP reference the program cannot hold");
        }

        private static GupRef find(List<GupRef> pool, java.util.function.Predicate<GupRef> p) {
            for (GupRef r : pool) {
                if (p.test(r)) return r;
            }
            return null;
        }

        /** What main() sets up before the first process starts. */
        private void preflight() {
            if (fileNeeded) {
                preflight.add("/* The page-cache file, populated: the model's file pages are in the page cache from the first mmap(). */");
                preflight.add("file_fd = memfd_create(\"mmcheck-file\", 0);");
                preflight.add("if (file_fd < 0 || fallocate(file_fd, 0, 0, NPAGE * pagesize))");
                preflight.add("\tbail(\"memfd_create(), fallocate(): %s\", strerror(errno));");
            }
            if (gupNeeded) {
                preflight.add("gup_fd = open(\"/sys/kernel/debug/gup_test\", O_RDWR);");
                preflight.add("if (gup_fd < 0) {");
                preflight.add("\tsay(\"ok 1 # SKIP gup_test is not available (CONFIG_GUP_TEST, debugfs, root): the trace takes a R/O longterm pin\\n\");");
                preflight.add("\tfinish(KSFT_SKIP);");
                preflight.add("}");
                cleanup.add("if (gup_fd >= 0)");
                cleanup.add("\tgup_stop();");
            }
            if (swapNeeded) {
                preflight.add("if (!swap_enabled()) {");
                preflight.add("\tsay(\"ok 1 # SKIP no swap space: the trace swaps a page out\\n\");");
                preflight.add("\tfinish(KSFT_SKIP);");
                preflight.add("}");
            }
            if (ksmNeeded) {
                sections.add("ksm");
                preflight.add("if (ksm_stop()) {");
                preflight.add("\tsay(\"ok 1 # SKIP /sys/kernel/mm/ksm/run is not writable (CONFIG_KSM, root): the trace uses KSM\\n\");");
                preflight.add("\tfinish(KSFT_SKIP);");
                preflight.add("}");
                cleanup.add("ksm_restore();");
            }
        }

        /** The check at the end of main(): what userspace can see of the violated property. */
        private void verdict(MmState last) {
            String property = cx.property();
            String test = spec.name() + ": " + property;
            Optional<Invariant> inv = Catalogue.invariant(property);
            String expr;
            List<String> why = new ArrayList<>();
            if (inv.isEmpty()) {
                Spec.Outcome o = spec.outcome().orElseThrow();
                if (!observable(o.condition())) {
                    unobservable("the condition asks what a page-table walker reports, which userspace cannot observe");
                    return;
                }
                why.add(property + ": the trace ends in a final state where " + o.text() + " holds");
                expr = condition(o.condition(), last);
            } else if (property.equals("pin-coherent")) {
                expr = pinCoherent(last, why);
            } else if (property.equals("no-leak-across-fork")) {
                expr = leak(last, why);
            } else {
                String sentence = inv.get().sentence().replaceFirst("\\.$", "");
                unobservable(property + " is about kernel-internal state (" + sentence
                        + "), which userspace cannot observe; every step of the trace ran");
                return;
            }
            if (expr == null) {
                unobservable(why.getFirst());
                return;
            }
            observable = true;
            for (String w : why) check.add("/* " + CProgram.comment(w) + " */");
            for (Map.Entry<String, Integer> o : observed.entrySet()) {
                check.add("show(" + CProgram.string(o.getKey()) + ", " + (o.getValue() < 0 ? "NONE" : "obs[" + o.getValue() + "]") + ");");
            }
            check.add("bad = " + expr + ";");
            check.add("say(\"%s 1 %s\\n\", bad ? \"not ok\" : \"ok\", " + CProgram.string(test) + ");");
            check.add("finish(bad ? KSFT_FAIL : KSFT_PASS);");
        }

        private void unobservable(String why) {
            observable = false;
            check.add("say(\"ok 1 # SKIP %s\\n\", " + CProgram.string(why) + ");");
            check.add("finish(KSFT_SKIP);");
            notes.add("The check is skipped: " + why + ".");
        }

        private static boolean observable(Condition c) {
            return switch (c) {
                case Condition.And a -> a.terms().stream().allMatch(Builder::observable);
                case Condition.Or o -> o.terms().stream().allMatch(Builder::observable);
                case Condition.Not n -> observable(n.inner());
                case Condition.Compare cmp -> true;
                case Condition.Observe w -> false;
            };
        }

        /** The condition in C over the check's observations. */
        private String condition(Condition c, MmState last) {
            return switch (c) {
                case Condition.And a -> "(" + String.join(" && ", a.terms().stream().map(t -> condition(t, last)).toList()) + ")";
                case Condition.Or o -> "(" + String.join(" || ", o.terms().stream().map(t -> condition(t, last)).toList()) + ")";
                case Condition.Not n -> "!" + condition(n.inner(), last);
                case Condition.Compare cmp -> {
                    String obs;
                    if (cmp.page() != null) {
                        obs = observePage(cmp.pid(), cmp.page(), last);
                    } else {
                        String name = spec.labels().get(cmp.label() - 1);
                        Handle h = handles.stream().filter(x -> x.live && x.owner.equals(cmp.pid()) && x.ref.label() == cmp.label())
                                .findFirst().orElse(null);
                        obs = observeRef(cmp.pid() + ":" + name, h);
                    }
                    yield obs + (cmp.equal() ? " == " : " != ") + hex(cmp.value());
                }
                case Condition.Observe w -> throw new IllegalStateException("walker observations are not observable");
            };
        }

        /** A load by p from page a at the end: a check step, or NONE when p no longer exists. */
        private String observePage(Pid p, Vaddr a, MmState last) {
            String name = p + ":" + a;
            Integer at = observed.get(name);
            if (at == null) {
                if (p.index() < last.processes().size() && last.process(p).alive()) {
                    sections.add("observe-page");
                    at = steps.size();
                    add(p.index(), Expect.EXPECT_DONE, "check: " + p + " reads " + a, "r->value = observe_page(" + a.index() + ");");
                } else {
                    at = -1;
                }
                observed.put(name, at);
            }
            return at < 0 ? "NONE" : "obs[" + at + "]";
        }

        /** A read through a reference at the end: a check step, or NONE when the process holds no such reference. */
        private String observeRef(String name, Handle h) {
            Integer at = observed.get(name);
            if (at == null) {
                if (h != null) {
                    readRefs = true;
                    at = steps.size();
                    add(h.owner.index(), Expect.EXPECT_DONE, "check: " + h.owner + " reads through " + h.name,
                            "r->value = read_ref(" + h.n + ");");
                } else {
                    at = -1;
                }
                observed.put(name, at);
            }
            return at < 0 ? "NONE" : "obs[" + at + "]";
        }

        /**
         * pin-coherent: the owner's page and its pin hold the same bytes. When the trace ends with both holding the
         * same value, the owner first stores a new one (cow.c's memset(mem, 0xff) before it reads through the pin),
         * if the model says that tells them apart.
         */
        private String pinCoherent(MmState last, List<String> why) {
            Violation v = Catalogue.invariant("pin-coherent").orElseThrow().check(profile, last).orElseThrow();
            GupRef ref = v.culprits().stream().filter(c -> c instanceof Violation.Culprit.Ref).map(c -> ((Violation.Culprit.Ref) c).ref())
                    .findFirst().orElseThrow();
            Handle h = handle(ref);
            if (h == null) {
                why.add("the pin is not one the program holds");
                return null;
            }
            Pid owner = ref.owner();
            Vaddr a = ref.addr();
            String cow = "cow.c: 'Longterm " + (ref.has(GupFlag.WRITE) ? "R/W" : "R/O") + " pin is reliable'";
            MmState s = last;
            if (value(s.dataOf(ref.folio())) == value(s.dataAt(owner, a))) {
                int probe = value(s.dataOf(ref.folio())) == 0x5a ? 0xa5 : 0x5a;
                Step st = Rules.apply(s, profile, new Op.Write(owner, a, probe));
                GupRef after = st.after().refs().stream().filter(r -> r.owner().equals(owner) && r.label() == ref.label()
                        && r.addr().equals(a) && r.flags() == ref.flags()).findFirst().orElse(null);
                if (st.outcome() != Step.Outcome.DONE || after == null
                        || value(st.after().dataOf(after.folio())) == value(st.after().dataAt(owner, a))) {
                    why.add("pin-coherent: the pin and " + owner + "'s page " + a + " hold the same bytes at the end, and a store "
                            + "through the page table does not tell them apart");
                    return null;
                }
                sections.add("store");
                add(owner.index(), Expect.EXPECT_DONE, "probe: " + owner + " *" + a + " = " + hex(probe),
                        "r->status = store(" + a.index() + ", " + hex(probe) + ");");
                why.add("pin-coherent: " + owner + " stores " + hex(probe) + " at " + a + ", and its pin " + h.name
                        + " must see it (" + cow + ")");
                s = st.after();
            } else {
                why.add("pin-coherent: " + owner + "'s pin " + h.name + " must hold what " + owner + " reads at " + a
                        + " (" + cow + ")");
            }
            String pin = observeRef(owner + ":" + h.name, h);
            String page = observePage(owner, a, s);
            return pin + " != " + page;
        }

        /**
         * no-leak-across-fork: the observer must not read the value another process stored after they separated,
         * provided that store changed what the page held (else nothing userspace reads tells the two apart).
         */
        private String leak(MmState last, List<String> why) {
            Violation v = Catalogue.invariant("no-leak-across-fork").orElseThrow().check(profile, last).orElseThrow();
            Data d = null;
            String obs = null;
            Pid observer = null;
            for (Violation.Culprit c : v.culprits()) {
                if (c instanceof Violation.Culprit.Ref r) {
                    Handle h = handle(r.ref());
                    observer = r.ref().owner();
                    d = last.dataOf(r.ref().folio());
                    if (h == null) {
                        why.add("the reference that reads the leak is not one the program holds");
                        return null;
                    }
                    obs = observeRef(observer + ":" + h.name, h);
                    break;
                }
            }
            if (obs == null) {
                Violation.Culprit.Pte pte = (Violation.Culprit.Pte) v.culprits().stream()
                        .filter(c -> c instanceof Violation.Culprit.Pte).findFirst().orElseThrow();
                observer = pte.pid();
                d = last.dataAt(pte.pid(), pte.addr());
                obs = observePage(pte.pid(), pte.addr(), last);
            }
            Data leaked = d;
            Integer old = null;
            for (Event e : events) {
                if (e.op() instanceof Op.Write w && w.pid().index() == leaked.writer() && w.value() == leaked.value() && e.done()) {
                    old = value(e.before().dataAt(w.pid(), w.addr()));
                } else if (e.op() instanceof Op.RefWrite w && w.pid().index() == leaked.writer() && w.value() == leaked.value() && e.done()) {
                    old = value(e.before().dataOf(w.ref().folio()));
                }
            }
            if (old == null || old == leaked.value()) {
                why.add("no-leak-across-fork: the store that leaks wrote the value the page held already");
                return null;
            }
            why.add("no-leak-across-fork: " + observer + " must not read " + hex(leaked.value()) + ", which P" + leaked.writer()
                    + " stored after they separated (cow.c: 'No leak from parent into child', 'from child into parent')");
            return obs + " == " + hex(leaked.value());
        }

        /** A value as a load reads it: an unpopulated page reads zeros. */
        private static int value(Data d) {
            return d == null ? 0 : d.value();
        }

        void header(Runner.Replayed replayed, List<String> alsoViolated) {
            List<String> h = new ArrayList<>();
            h.add(spec.name() + ": a counterexample mmcheck found, as a program for a real kernel.");
            if (!spec.title().isEmpty()) h.add("\"" + spec.title() + "\"");
            h.add("");
            for (int i = 0; i < spec.cites().size(); i++) h.add((i == 0 ? "cites:    " : "          ") + spec.cites().get(i));
            String arch = cx.arch().isEmpty() ? "x86_64" : cx.arch();
            h.add("profile:  " + cx.profile() + " (release " + cx.release() + "), arch " + arch);
            h.add("property: " + cx.property());
            if (!alsoViolated.isEmpty()) {
                h.add("          (the first violated property userspace can observe, else the first; violated too: "
                        + String.join(", ", alsoViolated) + ")");
            }
            h.add("model:    " + cx.violation());
            h.add("spec:     " + cx.specFile() + " (sha256 " + CounterexampleFile.sha256(cx.specText()).substring(0, 16) + "...)");
            List<String> departures = departures();
            if (!departures.isEmpty()) {
                h.add("");
                h.add("The model ran with decisions " + cx.release() + " does not make:");
                for (String d : departures) h.add("  " + d);
                h.add("A mainline " + cx.release() + " kernel is expected to print \"ok 1\"; one with that change, \"not ok 1\".");
            }
            h.add("");
            h.add("The setup, then the trace as mmcheck prints it:");
            for (Event e : events) {
                if (e.label().equals("setup")) h.add("  setup: " + e.op().call());
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            TextReport.printTrace(replayed.trace(), "trace", new PrintStream(buf, true, StandardCharsets.UTF_8));
            for (String l : buf.toString(StandardCharsets.UTF_8).split("\n")) h.add(l);
            h.add("");
            if (skipAll != null) {
                h.add("This program only reports a skip: " + skipAll + ".");
            } else {
                h.add("Each process of the trace is a process here; a harness hands each step to the process that runs it and "
                        + "waits for its answer, so the kernel sees the calls in the trace's order. Then the check: on a kernel that "
                        + "behaves as the model's " + cx.profile() + ", \"not ok 1\" (exit 1); where the bug is fixed, \"ok 1\" "
                        + "(exit 0). \"ok 1 # SKIP\" (exit 4) when the kernel lacks something a step needs or does not follow the "
                        + "trace; \"Bail out!\" when the program itself fails.");
                for (String n : notes) h.add(n);
            }
            h.add("");
            h.add("Build and run (as root where a step needs it: gup_test, KSM, page frame numbers):");
            h.add("  " + BUILD + " && ./repro");
            h.add("");
            h.add("Written by " + Version.TOOL + " from " + cx.specFile() + ".");
            header = h;
        }

        /** Decision points where the run's profile differs from its release (adapted to the arch): a rule variant. */
        private List<String> departures() {
            Profile release = Lookup.profile(cx.release());
            if (!cx.arch().isEmpty()) release = Lookup.arch(cx.arch()).adapt(release);
            List<String> out = new ArrayList<>();
            for (DecisionPoint<?> p : DecisionPoint.ALL) {
                if (profile.get(p) != release.get(p)) {
                    out.add(p.name() + " = " + profile.get(p).specName() + " (" + cx.release() + ": " + release.get(p).specName() + ")");
                }
            }
            return out;
        }

        private static String prot(boolean write) {
            return write ? "PROT_READ | PROT_WRITE" : "PROT_READ";
        }

        private static String hex(int v) {
            return String.format("0x%02x", v);
        }
    }
}
