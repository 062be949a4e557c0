package dev.mmcheck.lib.spec;

import dev.mmcheck.model.invariant.Catalogue;
import dev.mmcheck.model.invariant.Invariant;
import dev.mmcheck.model.invariant.Reachability;
import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Decision;
import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import dev.mmcheck.model.scenario.OpTemplate;
import dev.mmcheck.model.scenario.ProgramStep;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.VmaKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Parses the spec language documented in specs/README.md. Line oriented: a directive per line, blocks in
 * braces ({@code setup { ... }}, {@code P0 { ... }}), {@code #} comments. Every error names the file, line
 * and column, what was found and what was expected.
 *
 * <p>The parser takes nothing silently: a header given twice, a second setup block, a decision point or
 * operation kind or property named twice, a process or page named before the bounds that allow it, a program
 * for a process that nothing creates, and a condition that reads another process's reference are all errors.
 * Inputs are bounded ({@link #MAX_BYTES}, {@link #MAX_LINE_LENGTH}, {@link #MAX_NESTING},
 * {@link #MAX_TERMS}, {@link #MAX_STEPS}) and nothing recurses deeper than {@link #MAX_NESTING}, so no input can
 * exhaust the stack or the heap.
 */
public final class SpecParser {
    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_LINE_LENGTH = 4096;
    /** Parentheses and {@code ~} nested deeper than this are refused. */
    public static final int MAX_NESTING = 64;
    /** Comparisons in one condition. */
    public static final int MAX_TERMS = 1024;
    /** Setup and program steps in one spec. */
    public static final int MAX_STEPS = 4096;
    public static final int MAX_DEPTH = 1000;
    public static final long DEFAULT_MAX_STATES = 10_000_000L;

    private static final String STEP_FORMS = "mmap, munmap, read, write, fork, exit, get, pin, vmsplice, "
            + "io_uring_register, unpin, put, dma-write, mprotect, madvise, clear-soft-dirty, reclaim, ksm-merge, ksm-zero, enable-skeys, mremap, collapse, migrate-start, migrate-finish, "
            + "migrate-to-device, device-exclusive, memory-failure, uffd-register, uffd-unregister, uffd-wp, uffd-zeropage, "
            + "uffd-continue, evict, swapoff, procmem-write, userptr, userptr-submit, userptr-gpu-write, hmm-mirror, hmm-fault, hmm-device-write";
    private static final String MMAP_KINDS = "anon, thp, hugetlb, file-private, file-shared, pfnmap-private, pfnmap-shared, "
            + "pfnmap-fault, mixedmap-private, mixedmap-shared, mixedmap-zero-private, mixedmap-zero-shared, dax-private, dax-shared, "
            + "fuse-dax-private, fuse-dax-shared, shmem-private, shmem-shared";
    private static final String OP_KINDS = "read, write, get(ro|rw[,longterm][,fast][,steps]), pin(ro|rw[,longterm][,fast][,steps]), "
            + "release, dma-write, fork[(steps)], exit, munmap, madvise(dontneed|dontfork|dofork|pageout), mprotect(ro|rw), "
            + "clear-soft-dirty, reclaim[(steps)], ksm-merge, ksm-zero, enable-skeys, mremap, collapse[(steps)], migrate-start, migrate-finish, "
            + "migrate-to-device, device-exclusive, memory-failure, uffd-wp(on|off), uffd-unregister, uffd-zeropage, "
            + "uffd-continue, evict, swapoff, procmem-write[(steps)], userptr-submit, userptr-gpu-write";
    private static final String DIRECTIVES = "spec, title, cite, profile, set, processes, pages, depth, max-states, "
            + "setup {, P<n> {, ops, check, witness, exists or forbidden";

    private final String file;
    private final String source;
    private int lineNo;
    private String line;

    /** Directives that may appear once, with the line of their first appearance. */
    private final Map<String, Integer> once = new HashMap<>();
    private String name;
    private String title = "";
    private final List<String> cites = new ArrayList<>();
    private String profile;
    private final Map<DecisionPoint<?>, Integer> variantLines = new LinkedHashMap<>();
    private final List<Spec.Variant> variants = new ArrayList<>();
    private Integer processes;
    private Integer pages;
    private Integer depth;
    private Long maxStates;
    private final List<Spec.SetupStep> setup = new ArrayList<>();
    private final Map<Integer, List<ProgramStep>> programs = new TreeMap<>();
    private final Map<Integer, Integer> programLines = new HashMap<>();
    private final List<OpTemplate> alphabet = new ArrayList<>();
    private final Map<OpTemplate, String> alphabetAt = new HashMap<>();
    private final List<String> checks = new ArrayList<>();
    private final List<String> witnesses = new ArrayList<>();
    private final Map<String, String> namedAt = new HashMap<>();
    private Spec.Outcome outcome;
    private final List<String> labels = new ArrayList<>();
    private final Map<String, Integer> labelOwners = new LinkedHashMap<>();
    private int steps;
    private final List<Spec.Warning> warnings = new ArrayList<>();

    private SpecParser(String file, String source) {
        this.file = file;
        this.source = source;
    }

    public static Spec parse(Path path) throws SpecException {
        return parse(path.toString(), InputFile.read(path, MAX_BYTES, "spec"));
    }

    public static Spec parse(String file, String text) throws SpecException {
        if (text.length() > MAX_BYTES) throw new SpecException(file, 0, 0, "larger than " + (MAX_BYTES >> 10) + " KiB; a spec file is a small text file");
        return new SpecParser(file, text).run();
    }

    /** A word of a line: its text (without quotes for a quoted string) and 1-based column. */
    private record Token(String text, int column, boolean quoted) {
    }

    private Spec run() throws SpecException {
        String[] lines = source.split("\n", -1);
        Integer block = null; // null: top level; -1: setup; n >= 0: program key (see programKey)
        int blockLine = 0;
        for (int i = 0; i < lines.length; i++) {
            lineNo = i + 1;
            line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.length() > MAX_LINE_LENGTH) {
                throw new SpecException(file, lineNo, MAX_LINE_LENGTH + 1, "line longer than " + MAX_LINE_LENGTH + " characters");
            }
            List<Token> t = words(line);
            if (t.isEmpty()) continue;
            if (block != null) {
                if (t.get(0).text.equals("}") && !t.get(0).quoted) {
                    expectEnd(t, 1);
                    if (block >= 0 && programs.get(block).isEmpty()) {
                        throw new SpecException(file, blockLine, 1, programName(block) + "'s program is empty; give it steps or leave it out");
                    }
                    block = null;
                    continue;
                }
                if (t.get(t.size() - 1).text.equals("{")) {
                    throw error(t.get(t.size() - 1), "a block cannot open inside the block opened at line " + blockLine + "; close it with '}' first");
                }
                if (++steps > MAX_STEPS) throw error(t.get(0), "more than " + MAX_STEPS + " steps in one spec");
                if (block == -1) {
                    Token who = t.get(0);
                    if (!who.text.endsWith(":") || who.quoted) {
                        throw error(who, "a setup step starts with its process, as in 'P0: mmap A anon rw'; found '" + who.text + "'");
                    }
                    Pid pid = pid(new Token(who.text.substring(0, who.text.length() - 1), who.column, false));
                    setup.add(new Spec.SetupStep(pid, step(pid, t.subList(1, t.size()), who), lineNo, who.column));
                } else {
                    programs.get(block).add(step(new Pid(block / THREADS), t, t.get(0)));
                }
                continue;
            }
            Token last = t.get(t.size() - 1);
            if (last.text.equals("}") && !last.quoted) throw error(last, "'}' without an open block");
            if (directive(t)) {
                blockLine = lineNo;
                block = t.get(0).text.equals("setup") ? -1 : programKey(t.get(0));
            }
        }
        if (block != null) throw new SpecException(file, blockLine, 1, "block opened here is not closed with '}'");
        return finish();
    }

    /** Handles one top-level line; true if it opens a block. */
    private boolean directive(List<Token> t) throws SpecException {
        Token head = t.get(0);
        if (head.quoted) throw error(head, "expected a directive (" + DIRECTIVES + "), found a quoted string");
        switch (head.text) {
            case "spec" -> {
                once("spec", head);
                Token n = one(t, "a spec name such as cow/my-test");
                if (n.quoted || !n.text.matches("[a-z0-9][a-z0-9/._-]*")) {
                    throw error(n, "a spec name is lower case letters, digits and / . _ -, such as cow/my-test; found '" + n.text + "'");
                }
                name = n.text;
            }
            case "title" -> {
                once("title", head);
                title = quoted(t, "a quoted title, such as \"R/O pin after fork\"");
            }
            case "cite" -> cites.add(quoted(t, "a quoted citation (commit, test, mail or CVE)"));
            case "profile" -> {
                once("profile", head);
                Token p = one(t, "a profile name (" + profileNames() + ")");
                if (Profiles.named(p.text).isEmpty()) {
                    throw error(p, "unknown profile '" + p.text + "'; expected " + profileNames());
                }
                profile = p.text;
            }
            case "set" -> variant(t);
            case "processes" -> {
                once("processes", head);
                processes = bound(t, 1, MmState.MAX_PROCESSES, "processes");
            }
            case "pages" -> {
                once("pages", head);
                pages = bound(t, 1, MmState.MAX_PAGES, "pages");
            }
            case "depth" -> {
                once("depth", head);
                depth = bound(t, 1, MAX_DEPTH, "depth");
            }
            case "max-states" -> {
                once("max-states", head);
                maxStates = (long) bound(t, 1, dev.mmcheck.checker.Checker.MAX_STATES, "max-states");
            }
            case "setup" -> {
                if (t.size() != 2 || !t.get(1).text.equals("{")) throw error(t.size() > 1 ? t.get(1) : head, "expected '{' after 'setup'");
                once("setup", head);
                needBounds(head, "a setup block");
                return true;
            }
            case "ops" -> ops(head);
            case "check" -> names(t, checks, Catalogue.INVARIANTS.stream().map(Invariant::name).toList(), "invariant");
            case "witness" -> names(t, witnesses, Catalogue.WITNESSES.stream().map(Reachability::name).toList(), "witness");
            case "exists", "forbidden" -> {
                Integer first = once.putIfAbsent("exists/forbidden", lineNo);
                if (first != null) throw error(head, "only one exists/forbidden clause per spec (the first is at line " + first + ")");
                needBounds(head, "a condition");
                if (t.size() < 2) throw error(head, "expected a condition such as 'P1:A == 0xff' after '" + head.text + "'");
                int from = head.column - 1 + head.text.length();
                Condition c = new ConditionParser(from).parse();
                outcome = new Spec.Outcome(head.text.equals("exists"), c, normalise(line.substring(from)));
            }
            default -> {
                if (head.text.matches("P\\d+(\\.\\d+)?") && t.size() >= 2 && t.get(1).text.equals("{")) {
                    expectEnd(t, 2);
                    needBounds(head, "a program");
                    int p = programKey(head);
                    if (programs.containsKey(p)) {
                        throw error(head, "a second program for " + head.text + " (the first is at line " + programLines.get(p) + ")");
                    }
                    programs.put(p, new ArrayList<>());
                    programLines.put(p, lineNo);
                    return true;
                }
                if (head.text.equals("{")) throw error(head, "'{' must follow 'setup' or a process, as in 'P0 {'");
                throw error(head, "unknown directive '" + head.text + "'; expected " + DIRECTIVES);
            }
        }
        return false;
    }

    private Spec finish() throws SpecException {
        if (name == null) throw new SpecException(file, 1, 1, "missing 'spec NAME' line");
        if (profile == null) throw new SpecException(file, 1, 1, "missing 'profile' line; expected " + profileNames());
        if (processes == null || pages == null) {
            throw new SpecException(file, 1, 1, "missing bounds: a spec needs 'processes N' and 'pages N'");
        }
        if (programs.isEmpty() && alphabet.isEmpty()) {
            throw new SpecException(file, 1, 1, "nothing to check: expected per-process programs ('P0 { ... }') or an exploration ('ops ...')");
        }
        if (!programs.isEmpty() && !alphabet.isEmpty()) {
            throw at("ops", "a spec has either programs or an 'ops' exploration, not both (a program opens at line "
                    + programLines.values().stream().min(Integer::compare).orElseThrow() + ")");
        }
        List<List<ProgramStep>> progs = new ArrayList<>();
        int total = 0;
        if (!programs.isEmpty()) {
            // program i is Pi's (empty where Pi has none, so that the order stays the processes'), then Pi's threads
            int max = programs.keySet().stream().max(Integer::compare).orElseThrow() / THREADS;
            List<List<ProgramStep>> ordered = new ArrayList<>();
            for (int p = 0; p <= max; p++) ordered.add(programs.getOrDefault(p * THREADS, List.of()));
            for (Map.Entry<Integer, List<ProgramStep>> e : programs.entrySet()) {
                if (e.getKey() % THREADS != 0) ordered.add(e.getValue());
            }
            for (List<ProgramStep> s : ordered) {
                progs.add(s);
                for (ProgramStep step : s) {
                    // a /proc/PID/mem write takes GUP (one transition, or one per retry with steps) and then the copy
                    Op fixedOp = step instanceof ProgramStep.Fixed f ? f.op() : null;
                    total += switch (fixedOp) {
                        case Op.ProcMemWrite w -> w.steps() ? 7 : 2;
                        case Op.UserptrSubmit u -> 2; // submit_init, then submit_done
                        case Op.Fork f -> f.steps() ? 2 : 1; // the pinned check, then the copy
                        case Op.Collapse c -> c.steps() ? 2 : 1; // the flush and isolation, then the copy
                        case Op.Reclaim r -> r.steps() ? 2 : 1; // the clear or the check, then the rest
                        case Op.KsmMerge m -> m.steps() ? 2 : 1; // the clear or the checks, then the merge
                        case Op.MigrateStart m -> m.steps() ? 2 : 1; // the clear or the check, then the migration entries
                        case Op.Write w -> w.steps() ? 2 : 1; // the subpage mapcounts, then the compound one and the store
                        case Op.HmmFault h -> 4; // hmm_range_fault(), then the re-check: twice if an invalidation sends it back
                        case Op.Mprotect m -> m.steps() ? 2 : 1; // the split's PTEs, then its compound mapcount
                        case Op.Gup g -> g.has(dev.mmcheck.model.state.GupFlag.STEPS) ? 3 : 1; // read, grab and re-check, slow path
                        case null, default -> 1;
                    };
                }
            }
            if (outcome == null && checks.isEmpty()) {
                throw new SpecException(file, programLines.get(programs.keySet().iterator().next()), 1,
                        "programs need an 'exists'/'forbidden' clause or 'check' invariants");
            }
            if (depth != null) throw at("depth", "'depth' is for explorations; programs run to their end (their steps are the depth)");
            reachablePrograms();
        } else {
            if (depth == null) throw at("ops", "an exploration needs a 'depth N' bound");
            if (outcome != null) throw at("exists/forbidden", "exists/forbidden clauses are for programs; an exploration uses 'check'");
            if (checks.isEmpty()) throw at("ops", "an exploration needs 'check' invariants");
            if (witnesses.isEmpty()) {
                warnings.add(new Spec.Warning(once.get("ops"), 1,
                        "no 'witness': nothing shows the exploration reached the states its invariants are about"));
            }
        }
        if (cites.isEmpty()) {
            warnings.add(new Spec.Warning(once.get("spec"), 1, "no 'cite' line: say which commit, test, mail or CVE this spec encodes"));
        }
        return new Spec(file, source, name, title, List.copyOf(cites), profile, List.copyOf(variants), processes, pages,
                programs.isEmpty() ? depth : total, maxStates == null ? DEFAULT_MAX_STATES : maxStates, List.copyOf(setup),
                List.copyOf(progs), List.copyOf(alphabet), List.copyOf(checks), List.copyOf(witnesses),
                Optional.ofNullable(outcome), List.copyOf(labels), List.copyOf(warnings));
    }

    /**
     * Every program must belong to a process that can exist: P0, a process the setup forks, or one a program of
     * such a process forks. A program nothing can start would make 'forbidden' hold vacuously.
     */
    private void reachablePrograms() throws SpecException {
        java.util.Set<Integer> alive = new TreeSet<>(List.of(0));
        for (Spec.SetupStep s : setup) {
            if (!(s.step() instanceof ProgramStep.Fixed f)) continue;
            if (!alive.contains(s.pid().index())) {
                throw new SpecException(file, s.line(), s.column(), s.pid() + " does not exist at this point of the setup; "
                        + "a process exists once a setup step forks it ('P0: fork " + s.pid() + "')");
            }
            if (f.op() instanceof Op.Fork fork) {
                if (!alive.add(fork.child().index())) {
                    throw new SpecException(file, s.line(), s.column(), fork.child() + " exists already at this point of the setup; "
                            + "fork needs a free process slot");
                }
            } else if (f.op() instanceof Op.Exit) {
                alive.remove(s.pid().index());
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<Integer, List<ProgramStep>> e : programs.entrySet()) {
                if (!alive.contains(e.getKey() / THREADS)) continue;
                for (ProgramStep st : e.getValue()) {
                    if (st instanceof ProgramStep.Fixed f && f.op() instanceof Op.Fork fork) grew |= alive.add(fork.child().index());
                }
            }
        }
        for (int key : programs.keySet()) {
            int p = key / THREADS;
            if (!alive.contains(p)) {
                throw new SpecException(file, programLines.get(key), 1, programName(key) + "'s program can never run: nothing creates P" + p
                        + " (no setup step, and no program of a process that exists, forks it)");
            }
        }
    }

    // ---- steps

    private ProgramStep step(Pid pid, List<Token> t, Token at) throws SpecException {
        if (t.isEmpty()) throw error(at, "expected a step after '" + at.text + "': " + STEP_FORMS);
        Token op = t.get(0);
        for (Token x : t) {
            if (x.quoted) throw error(x, "a step has no quoted strings");
        }
        String text = t.stream().map(Token::text).collect(Collectors.joining(" "));
        List<Token> args = t.subList(1, t.size());
        Op fixed = switch (op.text) {
            case "mmap" -> {
                if (args.size() < 3 || args.size() > 4) {
                    throw error(args.size() > 4 ? args.get(4) : op, "expected 'mmap PAGE KIND ro|rw [io]'; KIND is one of: " + MMAP_KINDS);
                }
                Vaddr page = page(args.get(0));
                VmaKind kind = switch (args.get(1).text) {
                    case "anon" -> VmaKind.ANON_PRIVATE;
                    case "file-private" -> VmaKind.FILE_PRIVATE;
                    case "file-shared" -> VmaKind.FILE_SHARED;
                    default -> {
                        VmaKind k = VmaKind.bySpecName(args.get(1).text);
                        if (k == null || (!k.huge() && (k.backing() == VmaKind.Backing.NONE || k.backing() == VmaKind.Backing.ANON
                                || k.backing() == VmaKind.Backing.FILE))) {
                            throw error(args.get(1), "expected one of " + MMAP_KINDS + "; found '" + args.get(1).text + "'");
                        }
                        if (k.huge() && (page.index() % 2 != 0 || page.index() + 1 >= pages)) {
                            throw error(args.get(0), "a " + k.specName() + " mapping covers an aligned pair of pages (A-B or C-D) and "
                                    + "starts at its first page (A or C), within 'pages " + pages + "'; found " + args.get(0).text);
                        }
                        yield k;
                    }
                };
                boolean write = rw(args.get(2));
                boolean io = false;
                if (args.size() == 4) {
                    Token t3 = args.get(3);
                    if (!t3.text.equals("io")) throw error(t3, "expected 'io' (the driver also sets VM_IO) or the end of the step, found '" + t3.text + "'");
                    boolean ioAllowed = switch (kind.backing()) {
                        case FAULT_PFN, DRIVER_PAGES, ZERO_PAGES -> true;
                        default -> false;
                    };
                    if (!ioAllowed) {
                        throw error(t3, kind.backing() == VmaKind.Backing.REMAP_PFN
                                ? "remap_pfn_range() sets VM_IO itself: drop 'io'"
                                : "'io' applies to a driver mapping (pfnmap-fault, mixedmap-*), not " + args.get(1).text);
                    }
                    io = true;
                }
                yield new Op.Mmap(pid, page, kind, write, io);
            }
            case "munmap" -> {
                Range r = range(only(args, op, "munmap PAGE|PAGE-PAGE"));
                yield new Op.Munmap(pid, r.page(), r.pair());
            }
            case "mremap" -> {
                argc(args, 2, op, "mremap PAGE PAGE (from, to)");
                yield new Op.Mremap(pid, page(args.get(0)), page(args.get(1)));
            }
            case "collapse" -> {
                boolean steps = steps(args, 1, op, "expected 'collapse PAGE [steps]'", "the flush and isolation, then the copy");
                yield new Op.Collapse(pid, page(args.get(0)), steps);
            }
            case "migrate-start" -> {
                boolean steps = steps(args, 1, op, "expected 'migrate-start PAGE [steps]'", "try_to_migrate_one()'s PTE clear and its pinned check");
                yield new Op.MigrateStart(pid, page(args.get(0)), steps);
            }
            case "migrate-finish" -> {
                argc(args, 0, op, "migrate-finish");
                yield new Op.MigrateFinish(pid);
            }
            case "migrate-to-device" -> new Op.MigrateToDevice(pid, page(only(args, op, "migrate-to-device PAGE")));
            case "device-exclusive" -> new Op.MakeDeviceExclusive(pid, page(only(args, op, "device-exclusive PAGE")));
            case "memory-failure" -> new Op.MemoryFailure(pid, page(only(args, op, "memory-failure PAGE")));
            case "read" -> new Op.Read(pid, page(only(args, op, "read PAGE")));
            case "write" -> {
                boolean steps = args.size() >= 2 && args.get(args.size() - 1).text.equals("steps");
                int n = args.size() - (steps ? 1 : 0);
                if (n < 1 || n > 2) throw error(n > 2 ? args.get(2) : op, "expected 'write PAGE [VALUE] [steps]'");
                yield new Op.Write(pid, page(args.get(0)), n == 2 ? value(args.get(1)) : OpTemplate.STORED_VALUE, steps);
            }
            case "fork" -> {
                boolean steps = steps(args, 1, op, "expected 'fork P<n> [steps]' (the child's process slot)",
                        "the pinned check and the write-protect");
                Pid child = pid(args.get(0));
                if (child.equals(pid)) throw error(args.get(0), pid + " cannot fork into its own slot");
                yield new Op.Fork(pid, child, steps);
            }
            case "exit" -> {
                argc(args, 0, op, "exit");
                yield new Op.Exit(pid);
            }
            case "get", "pin", "vmsplice", "io_uring_register" -> gup(pid, op, args);
            case "unpin", "put", "dma-write" -> null;
            case "mprotect" -> {
                boolean steps = steps(args, 2, op, "expected 'mprotect PAGE|PAGE-PAGE ro|rw [steps]'", "the PMD split of part of a THP");
                Range r = range(args.get(0));
                yield new Op.Mprotect(pid, r.page(), rw(args.get(1)), r.pair(), steps);
            }
            case "madvise" -> {
                argc(args, 2, op, "madvise PAGE|PAGE-PAGE dontneed|dontfork|dofork|mergeable|pageout");
                Range r = range(args.get(0));
                Op.Advice advice = switch (args.get(1).text) {
                    case "dontneed" -> Op.Advice.DONTNEED;
                    case "dontfork" -> Op.Advice.DONTFORK;
                    case "dofork" -> Op.Advice.DOFORK;
                    case "mergeable" -> Op.Advice.MERGEABLE;
                    case "pageout" -> Op.Advice.PAGEOUT;
                    default -> throw error(args.get(1), "expected dontneed, dontfork, dofork, mergeable or pageout, found '"
                            + args.get(1).text + "'");
                };
                yield new Op.Madvise(pid, r.page(), advice, r.pair());
            }
            case "clear-soft-dirty" -> {
                argc(args, 0, op, "clear-soft-dirty");
                yield new Op.ClearSoftDirty(pid);
            }
            case "reclaim" -> {
                boolean steps = steps(args, 1, op, "expected 'reclaim PAGE [steps]'", "try_to_unmap_one()'s PTE clear and its pinned check");
                yield new Op.Reclaim(pid, page(args.get(0)), steps);
            }
            case "ksm-zero" -> new Op.KsmZero(pid, page(only(args, op, "ksm-zero PAGE")));
            case "enable-skeys" -> {
                argc(args, 0, op, "enable-skeys");
                yield new Op.EnableSkeys(pid);
            }
            case "ksm-merge" -> {
                boolean steps = steps(args, 3, op, "expected 'ksm-merge PAGE P<n> PAGE [steps]'", "write_protect_page()'s PTE clear and its checks");
                yield new Op.KsmMerge(pid, page(args.get(0)), pid(args.get(1)), page(args.get(2)), steps);
            }
            case "uffd-register" -> uffdRegister(pid, op, args);
            case "uffd-unregister" -> new Op.UffdUnregister(pid, page(only(args, op, "uffd-unregister PAGE")));
            case "uffd-wp" -> {
                argc(args, 2, op, "uffd-wp PAGE on|off");
                boolean on = switch (args.get(1).text) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw error(args.get(1), "expected on (UFFDIO_WRITEPROTECT_MODE_WP) or off (resolve), found '"
                            + args.get(1).text + "'");
                };
                yield new Op.UffdWriteprotect(pid, page(args.get(0)), on);
            }
            case "uffd-zeropage" -> new Op.UffdZeropage(pid, page(only(args, op, "uffd-zeropage PAGE")));
            case "uffd-continue" -> {
                if (args.isEmpty() || args.size() > 2) throw error(args.size() > 2 ? args.get(2) : op, "expected 'uffd-continue PAGE [wp]'");
                if (args.size() == 2 && !args.get(1).text.equals("wp")) {
                    throw error(args.get(1), "expected 'wp' (UFFDIO_CONTINUE_MODE_WP) or the end of the step, found '" + args.get(1).text + "'");
                }
                yield new Op.UffdContinue(pid, page(args.get(0)), args.size() == 2);
            }
            case "evict" -> new Op.Evict(pid, page(only(args, op, "evict PAGE")));
            case "swapoff" -> {
                argc(args, 0, op, "swapoff");
                yield new Op.Swapoff(pid);
            }
            case "userptr" -> {
                if (args.isEmpty() || args.size() > 3) throw error(args.size() > 3 ? args.get(3) : op, "expected 'userptr PAGE [unsynchronized] [probe]'");
                boolean unsync = false;
                boolean probe = false;
                for (Token f : args.subList(1, args.size())) {
                    switch (f.text) {
                        case "unsynchronized" -> unsync = true;
                        case "probe" -> probe = true;
                        default -> throw error(f, "expected 'unsynchronized' or 'probe', found '" + f.text + "'");
                    }
                }
                yield new Op.UserptrCreate(pid, page(args.get(0)), unsync, probe);
            }
            case "userptr-submit" -> {
                argc(args, 0, op, "userptr-submit");
                yield new Op.UserptrSubmit(pid);
            }
            case "userptr-gpu-write" -> {
                if (args.isEmpty() || args.size() > 2) throw error(args.size() > 2 ? args.get(2) : op, "expected 'userptr-gpu-write P<n> [VALUE]'");
                yield new Op.UserptrGpuWrite(pid, pid(args.get(0)), args.size() == 2 ? value(args.get(1)) : OpTemplate.STORED_VALUE);
            }
            case "hmm-mirror" -> new Op.HmmMirror(pid, page(only(args, op, "hmm-mirror PAGE")));
            case "hmm-fault" -> {
                if (args.size() > 1) throw error(args.get(1), "expected 'hmm-fault [rw]'");
                if (args.size() == 1 && !args.get(0).text.equals("rw")) {
                    throw error(args.get(0), "expected 'rw' (HMM_PFN_REQ_WRITE) or the end of the step, found '" + args.get(0).text + "'");
                }
                yield new Op.HmmFault(pid, args.size() == 1);
            }
            case "hmm-device-write" -> {
                if (args.size() > 1) throw error(args.get(1), "expected 'hmm-device-write [VALUE]'");
                yield new Op.HmmDeviceWrite(pid, args.size() == 1 ? value(args.get(0)) : OpTemplate.STORED_VALUE);
            }
            case "procmem-write" -> {
                String form = "expected 'procmem-write P<n> PAGE [VALUE] [steps]'";
                if (args.size() < 2 || args.size() > 4) throw error(args.size() > 4 ? args.get(4) : op, form);
                boolean steps = args.get(args.size() - 1).text.equals("steps");
                int n = args.size() - (steps ? 1 : 0);
                if (n < 2 || n > 3) throw error(op, form);
                yield new Op.ProcMemWrite(pid, pid(args.get(0)), page(args.get(1)), n == 3 ? value(args.get(2)) : OpTemplate.STORED_VALUE, steps);
            }
            default -> throw error(op, "unknown operation '" + op.text + "'; expected one of: " + STEP_FORMS);
        };
        if (fixed != null) return new ProgramStep.Fixed(fixed, text);
        // unpin NAME / put NAME / dma-write NAME [VALUE]
        boolean release = !op.text.equals("dma-write");
        if (args.isEmpty() || args.size() > (release ? 1 : 2)) {
            throw error(args.isEmpty() ? op : args.get(args.size() - 1),
                    "expected '" + op.text + " NAME" + (release ? "" : " [VALUE]") + "' naming a reference taken 'as NAME'");
        }
        Token ref = args.get(0);
        int label = labels.indexOf(ref.text) + 1;
        if (label == 0) throw error(ref, "no reference named '" + ref.text + "' was taken before (with 'as " + ref.text + "')");
        if (labelOwners.get(ref.text) != pid.index()) {
            throw error(ref, "'" + ref.text + "' belongs to P" + labelOwners.get(ref.text) + ", not " + pid);
        }
        int value = !release && args.size() == 2 ? value(args.get(1)) : OpTemplate.STORED_VALUE;
        return new ProgramStep.OnReference(pid, label, ref.text, release, value, text);
    }

    /**
     * A step of {@code n} arguments and an optional trailing {@code steps} (what it splits: {@code what}); true if given.
     * Too few or too many arguments is {@code form}; another last word names what was expected instead.
     */
    private boolean steps(List<Token> args, int n, Token op, String form, String what) throws SpecException {
        if (args.size() < n || args.size() > n + 1) throw error(args.size() > n + 1 ? args.get(n + 1) : op, form);
        if (args.size() == n + 1 && !args.get(n).text.equals("steps")) {
            throw error(args.get(n), "expected 'steps' (" + what + " as steps of their own) or the end of the step, found '"
                    + args.get(n).text + "'");
        }
        return args.size() == n + 1;
    }

    /** get/pin PAGE [ro|rw] [longterm] [fast] [as NAME]; vmsplice PAGE [as NAME]; io_uring_register PAGE [as NAME]. */
    private Op gup(Pid pid, Token op, List<Token> args) throws SpecException {
        if (args.isEmpty()) throw error(op, "expected '" + op.text + " PAGE ...'");
        Vaddr page = page(args.get(0));
        int flags = switch (op.text) {
            case "pin" -> GupFlag.PIN.bit();
            case "io_uring_register" -> GupFlag.PIN.bit() | GupFlag.WRITE.bit() | GupFlag.LONGTERM.bit();
            default -> 0;
        };
        String labelName = "";
        Token stepsAt = null;
        boolean simple = op.text.equals("vmsplice") || op.text.equals("io_uring_register");
        java.util.Set<String> given = new java.util.HashSet<>();
        for (int i = 1; i < args.size(); i++) {
            Token a = args.get(i);
            String word = simple ? (a.text.equals("as") ? "as" : "?") : a.text;
            if (!word.equals("?") && !given.add(word.equals("ro") || word.equals("rw") ? "ro|rw" : word)) {
                throw error(a, "'" + a.text + "' given twice" + (word.startsWith("r") ? " (ro and rw exclude each other)" : ""));
            }
            switch (word) {
                case "ro" -> flags &= ~GupFlag.WRITE.bit();
                case "rw" -> flags |= GupFlag.WRITE.bit();
                case "longterm" -> flags |= GupFlag.LONGTERM.bit();
                case "fast" -> flags |= GupFlag.FAST.bit();
                case "steps" -> {
                    flags |= GupFlag.STEPS.bit();
                    stepsAt = a;
                }
                case "as" -> {
                    if (i + 1 != args.size() - 1) throw error(a, "expected one name after 'as'");
                    Token n = args.get(++i);
                    labelName = n.text;
                    if (!labelName.matches("[a-z][a-z0-9_-]{0,31}")) {
                        throw error(n, "a reference name is up to 32 lower case letters, digits, '-' and '_', starting with a letter; found '" + labelName + "'");
                    }
                    if (labels.contains(labelName)) throw error(n, "reference name '" + labelName + "' is taken already");
                    labels.add(labelName);
                    labelOwners.put(labelName, pid.index());
                }
                default -> throw error(a, simple ? "expected 'as NAME', found '" + a.text + "'"
                        : "expected ro, rw, longterm, fast, steps or 'as NAME', found '" + a.text + "'");
            }
        }
        if (stepsAt != null && (flags & GupFlag.FAST.bit()) == 0) {
            throw error(stepsAt, "'steps' splits GUP-fast's lockless walk into its steps: it needs 'fast'");
        }
        int label = labelName.isEmpty() ? 0 : labels.indexOf(labelName) + 1;
        return new Op.Gup(pid, page, flags, label, labelName);
    }

    /** {@code ops KIND KIND(PARAM, PARAM) ...}: parentheses may hold spaces. */
    private void ops(Token head) throws SpecException {
        once.putIfAbsent("ops", lineNo);
        int i = head.column - 1 + head.text.length();
        int count = 0;
        while (true) {
            while (i < line.length() && Character.isWhitespace(line.charAt(i))) i++;
            if (i >= line.length() || line.charAt(i) == '#') break;
            int start = i;
            while (i < line.length() && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != '(' && line.charAt(i) != '#') i++;
            String kind = line.substring(start, i);
            List<String> params = new ArrayList<>();
            if (i < line.length() && line.charAt(i) == '(') {
                int close = line.indexOf(')', i);
                if (close < 0) throw new SpecException(file, lineNo, i + 1, "expected ')' to close the '(' of '" + kind + "'");
                for (String p : line.substring(i + 1, close).split(",", -1)) params.add(p.trim());
                i = close + 1;
                if (i < line.length() && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != '#') {
                    throw new SpecException(file, lineNo, i + 1, "expected a space after ')'");
                }
            }
            Token at = new Token(line.substring(start, i), start + 1, false);
            OpTemplate template = opTemplate(at, kind, params);
            String first = alphabetAt.putIfAbsent(template, lineNo + ":" + (start + 1));
            if (first != null) throw error(at, "operation kind '" + at.text + "' is listed twice (first at " + first + ")");
            alphabet.add(template);
            count++;
        }
        if (count == 0) throw error(head, "expected operation kinds after 'ops': " + OP_KINDS);
    }

    private OpTemplate opTemplate(Token t, String head, List<String> params) throws SpecException {
        OpTemplate.Kind simple = switch (head) {
            case "read" -> OpTemplate.Kind.READ;
            case "write" -> OpTemplate.Kind.WRITE;
            case "release" -> OpTemplate.Kind.RELEASE;
            case "dma-write" -> OpTemplate.Kind.DEVICE_WRITE;
            case "fork" -> OpTemplate.Kind.FORK;
            case "exit" -> OpTemplate.Kind.EXIT;
            case "munmap" -> OpTemplate.Kind.MUNMAP;
            case "clear-soft-dirty" -> OpTemplate.Kind.CLEAR_SOFT_DIRTY;
            case "reclaim" -> OpTemplate.Kind.RECLAIM;
            case "ksm-merge" -> OpTemplate.Kind.KSM_MERGE;
            case "ksm-zero" -> OpTemplate.Kind.KSM_ZERO;
            case "enable-skeys" -> OpTemplate.Kind.ENABLE_SKEYS;
            case "mremap" -> OpTemplate.Kind.MREMAP;
            case "collapse" -> OpTemplate.Kind.COLLAPSE;
            case "migrate-start" -> OpTemplate.Kind.MIGRATE_START;
            case "migrate-finish" -> OpTemplate.Kind.MIGRATE_FINISH;
            case "migrate-to-device" -> OpTemplate.Kind.MIGRATE_TO_DEVICE;
            case "device-exclusive" -> OpTemplate.Kind.MAKE_DEVICE_EXCLUSIVE;
            case "memory-failure" -> OpTemplate.Kind.MEMORY_FAILURE;
            case "uffd-unregister" -> OpTemplate.Kind.UFFD_UNREGISTER;
            case "uffd-zeropage" -> OpTemplate.Kind.UFFD_ZEROPAGE;
            case "uffd-continue" -> OpTemplate.Kind.UFFD_CONTINUE;
            case "evict" -> OpTemplate.Kind.EVICT;
            case "swapoff" -> OpTemplate.Kind.SWAPOFF;
            case "userptr-submit" -> OpTemplate.Kind.USERPTR_SUBMIT;
            case "userptr-gpu-write" -> OpTemplate.Kind.USERPTR_GPU_WRITE;
            default -> null;
        };
        if (simple != null) {
            boolean splittable = simple == OpTemplate.Kind.FORK || simple == OpTemplate.Kind.COLLAPSE || simple == OpTemplate.Kind.RECLAIM;
            if (splittable && params.equals(List.of("steps"))) return new OpTemplate(simple, 1);
            if (!params.isEmpty()) {
                throw error(t, splittable ? "expected " + head + " or " + head + "(steps)" : "'" + head + "' takes no parameters");
            }
            return OpTemplate.of(simple);
        }
        switch (head) {
            case "procmem-write" -> {
                if (params.isEmpty()) return new OpTemplate(OpTemplate.Kind.PROC_MEM_WRITE, 0);
                if (params.equals(List.of("steps"))) return new OpTemplate(OpTemplate.Kind.PROC_MEM_WRITE, 1);
                throw error(t, "expected procmem-write or procmem-write(steps)");
            }
            case "get", "pin" -> {
                int flags = head.equals("pin") ? GupFlag.PIN.bit() : 0;
                if (params.isEmpty()) throw error(t, "expected " + head + "(ro|rw[,longterm][,fast])");
                java.util.Set<String> given = new java.util.HashSet<>();
                boolean access = false;
                for (String p : params) {
                    if (!given.add(p.equals("ro") || p.equals("rw") ? "ro|rw" : p)) {
                        throw error(t, "GUP flag '" + p + "' given twice (ro and rw exclude each other)");
                    }
                    switch (p) {
                        case "ro" -> access = true;
                        case "rw" -> {
                            access = true;
                            flags |= GupFlag.WRITE.bit();
                        }
                        case "longterm" -> flags |= GupFlag.LONGTERM.bit();
                        case "fast" -> flags |= GupFlag.FAST.bit();
                        case "steps" -> flags |= GupFlag.STEPS.bit();
                        default -> throw error(t, "unknown GUP flag '" + p + "'; expected ro, rw, longterm, fast or steps");
                    }
                }
                if (!access) throw error(t, "say ro or rw: " + head + "(ro|rw[,longterm][,fast][,steps])");
                if ((flags & GupFlag.STEPS.bit()) != 0 && (flags & GupFlag.FAST.bit()) == 0) {
                    throw error(t, "'steps' splits GUP-fast's lockless walk into its steps: it needs 'fast'");
                }
                return new OpTemplate(OpTemplate.Kind.GUP, flags);
            }
            case "madvise" -> {
                if (params.size() != 1) throw error(t, "expected madvise(dontneed|dontfork|dofork|pageout)");
                return OpTemplate.of(switch (params.get(0)) {
                    case "dontneed" -> OpTemplate.Kind.MADV_DONTNEED;
                    case "dontfork" -> OpTemplate.Kind.MADV_DONTFORK;
                    case "dofork" -> OpTemplate.Kind.MADV_DOFORK;
                    case "pageout" -> OpTemplate.Kind.MADV_PAGEOUT;
                    default -> throw error(t, "unknown advice '" + params.get(0) + "'; expected dontneed, dontfork, dofork or pageout");
                });
            }
            case "uffd-wp" -> {
                if (params.size() != 1 || !(params.get(0).equals("on") || params.get(0).equals("off"))) {
                    throw error(t, "expected uffd-wp(on) or uffd-wp(off)");
                }
                return OpTemplate.of(params.get(0).equals("on") ? OpTemplate.Kind.UFFD_WP_ON : OpTemplate.Kind.UFFD_WP_OFF);
            }
            case "mprotect" -> {
                if (params.size() != 1 || !(params.get(0).equals("ro") || params.get(0).equals("rw"))) {
                    throw error(t, "expected mprotect(ro) or mprotect(rw)");
                }
                return OpTemplate.of(params.get(0).equals("ro") ? OpTemplate.Kind.MPROTECT_RO : OpTemplate.Kind.MPROTECT_RW);
            }
            default -> throw error(t, "unknown operation kind '" + head + "'; expected one of: " + OP_KINDS);
        }
    }

    /** uffd-register PAGE MODE... [FEATURE...]: modes missing, wp, minor; features event-fork, wp-unpopulated, wp-async. */
    private Op uffdRegister(Pid pid, Token op, List<Token> args) throws SpecException {
        String form = "'uffd-register PAGE wp|minor|missing... [event-fork] [wp-unpopulated] [wp-async]'";
        if (args.size() < 2) throw error(args.isEmpty() ? op : args.get(0), "expected " + form);
        Vaddr page = page(args.get(0));
        int modes = 0;
        int features = 0;
        for (Token x : args.subList(1, args.size())) {
            int mode = switch (x.text) {
                case "wp" -> dev.mmcheck.model.state.Vma.UFFD_WP;
                case "minor" -> dev.mmcheck.model.state.Vma.UFFD_MINOR;
                case "missing" -> dev.mmcheck.model.state.Vma.UFFD_MISSING;
                default -> 0;
            };
            int feature = switch (x.text) {
                case "event-fork" -> dev.mmcheck.model.state.UffdState.EVENT_FORK;
                case "wp-unpopulated" -> dev.mmcheck.model.state.UffdState.WP_UNPOPULATED;
                case "wp-async" -> dev.mmcheck.model.state.UffdState.WP_ASYNC;
                default -> 0;
            };
            if (mode == 0 && feature == 0) {
                throw error(x, "expected a mode (wp, minor, missing) or a feature (event-fork, wp-unpopulated, wp-async), found '" + x.text + "'");
            }
            if (((modes & mode) | (features & feature)) != 0) throw error(x, "'" + x.text + "' is given twice");
            modes |= mode;
            features |= feature;
        }
        if (modes == 0) throw error(args.get(1), "name at least one mode: wp, minor or missing; " + form);
        return new Op.UffdRegister(pid, page, modes, features);
    }

    // ---- small parsers

    private void needBounds(Token at, String what) throws SpecException {
        if (processes == null || pages == null) {
            throw error(at, what + " comes before " + (processes == null ? "'processes N'" : "'pages N'")
                    + "; state the bounds ('processes', 'pages') before setup, programs and conditions");
        }
    }

    /** Threads a process may have programs for: P0 (thread 0), P0.1 .. P0.15. */
    private static final int THREADS = 16;

    /**
     * A program's key: the process times {@link #THREADS} plus the thread. {@code P0.1 { ... }} is a second thread of
     * P0: its steps are P0's operations, interleaved with P0's own program.
     */
    private int programKey(Token t) throws SpecException {
        int dot = t.text.indexOf('.');
        Pid pid = pid(dot < 0 ? t : new Token(t.text.substring(0, dot), t.column, false));
        if (dot < 0) return pid.index() * THREADS;
        String th = t.text.substring(dot + 1);
        int n = th.length() > 3 ? THREADS : Integer.parseInt(th);
        if (n < 1 || n >= THREADS) {
            throw error(t, "expected a thread number 1.." + (THREADS - 1) + " after '" + t.text.substring(0, dot + 1) + "', found '" + th + "'");
        }
        return pid.index() * THREADS + n;
    }

    private static String programName(int key) {
        return "P" + key / THREADS + (key % THREADS == 0 ? "" : "." + key % THREADS);
    }

    private Pid pid(Token t) throws SpecException {
        if (!t.text.matches("P\\d+") || t.text.length() > 40) {
            throw error(t, "expected a process such as P0 or P1, found '" + t.text + "'");
        }
        if (processes == null) {
            throw error(t, t.text + " is named before 'processes N'; state the bounds before setup, programs and conditions");
        }
        int n = t.text.length() > 10 ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(t.text.substring(1)));
        if (n >= processes) {
            throw error(t, t.text + " is outside the bounds: 'processes " + processes + "' allows P0.." + "P" + (processes - 1));
        }
        return new Pid(n);
    }

    /** A page range: one page, or an aligned pair written A-B or C-D (a whole THP or hugetlb range). */
    private record Range(Vaddr page, boolean pair) {
    }

    private Range range(Token t) throws SpecException {
        if (t.text.length() == 3 && t.text.charAt(1) == '-') {
            Vaddr first = page(new Token(t.text.substring(0, 1), t.column, false));
            Vaddr last = page(new Token(t.text.substring(2), t.column + 2, false));
            if (first.index() % 2 != 0 || last.index() != first.index() + 1) {
                throw error(t, "a range is an aligned pair of pages (A-B or C-D), the span of one PMD; found '" + t.text + "'");
            }
            return new Range(first, true);
        }
        return new Range(page(t), false);
    }

    private Vaddr page(Token t) throws SpecException {
        if (pages == null) throw error(t, "page '" + t.text + "' is named before 'pages N'; state the bounds before setup, programs and conditions");
        if (t.text.length() != 1 || t.text.charAt(0) < 'A' || t.text.charAt(0) > 'Z') {
            throw error(t, "expected a page name A.." + (char) ('A' + pages - 1) + ", found '" + t.text + "'");
        }
        int n = t.text.charAt(0) - 'A';
        if (n >= pages) throw error(t, "page " + t.text + " is outside the bounds: 'pages " + pages + "'");
        return new Vaddr(n);
    }

    private boolean rw(Token t) throws SpecException {
        return switch (t.text) {
            case "rw" -> true;
            case "ro" -> false;
            default -> throw error(t, "expected ro or rw, found '" + t.text + "'");
        };
    }

    private int value(Token t) throws SpecException {
        String s = t.text;
        boolean hex = s.startsWith("0x") || s.startsWith("0X");
        String digits = hex ? s.substring(2) : s;
        if (digits.isEmpty() || digits.length() > 8 || !digits.matches(hex ? "[0-9a-fA-F]+" : "[0-9]+")) {
            throw error(t, "expected a byte value such as 0xff or 255, found '" + s + "'");
        }
        int v = Integer.parseInt(digits, hex ? 16 : 10);
        if (v > 0xff) throw error(t, "a page value is a byte, 0..0xff");
        return v;
    }

    private void variant(List<Token> t) throws SpecException {
        if (t.size() != 4 || !t.get(2).text.equals("=")) {
            throw error(t.size() > 1 ? t.get(Math.min(t.size() - 1, 2)) : t.get(0), "expected 'set DECISION-POINT = CHOICE'");
        }
        Token pt = t.get(1);
        DecisionPoint<?> point = DecisionPoint.named(pt.text).orElseThrow(() -> error(pt, "unknown decision point '"
                + pt.text + "'; expected one of " + DecisionPoint.ALL.stream().map(DecisionPoint::name).collect(Collectors.joining(", "))));
        Token ct = t.get(3);
        Decision choice = point.choice(ct.text).orElseThrow(() -> error(ct, "unknown choice '" + ct.text + "' for "
                + point.name() + "; expected one of " + point.choices().stream().map(Decision::specName).collect(Collectors.joining(", "))));
        Integer first = variantLines.putIfAbsent(point, lineNo);
        if (first != null) throw error(pt, "decision point '" + point.name() + "' is set twice (first at line " + first + ")");
        variants.add(new Spec.Variant(point, choice, null, file + ":" + lineNo + ":" + pt.column));
    }

    private void names(List<Token> t, List<String> into, List<String> known, String what) throws SpecException {
        if (t.size() < 2) throw error(t.get(0), "expected " + what + " names or 'all'");
        for (Token n : t.subList(1, t.size())) {
            List<String> named = n.text.equals("all") ? known : List.of(n.text);
            if (!n.text.equals("all") && !known.contains(n.text)) {
                throw error(n, "unknown " + what + " '" + n.text + "'; expected one of " + String.join(", ", known) + " or all");
            }
            for (String x : named) {
                String first = namedAt.putIfAbsent(what + " " + x, lineNo + ":" + n.column);
                if (first != null) {
                    throw error(n, (n.text.equals("all") ? "'all' names " + what + " '" + x + "' again" : what + " '" + x + "' is named twice")
                            + " (first at " + first + ")");
                }
                into.add(x);
            }
        }
    }

    private int bound(List<Token> t, int min, int max, String what) throws SpecException {
        Token v = one(t, "a number");
        String digits = v.text.replace("_", "").replace(",", "");
        if (!digits.matches("[0-9]{1,10}")) throw error(v, "expected a number for " + what + ", found '" + v.text + "'");
        long n = Long.parseLong(digits);
        if (n < min || n > max) {
            throw error(v, "impossible bound: " + what + " must be " + min + ".." + max + ", got " + v.text);
        }
        return (int) n;
    }

    private String quoted(List<Token> t, String expected) throws SpecException {
        Token s = one(t, expected);
        if (!s.quoted) throw error(s, "expected " + expected + "; found '" + s.text + "' without quotes");
        return s.text;
    }

    private Token one(List<Token> t, String expected) throws SpecException {
        if (t.size() != 2) throw error(t.get(t.size() > 2 ? 2 : 0), "expected " + expected + " after '" + t.get(0).text + "'");
        return t.get(1);
    }

    private Token only(List<Token> args, Token op, String form) throws SpecException {
        if (args.size() != 1) throw error(args.size() > 1 ? args.get(1) : op, "expected '" + form + "'");
        return args.get(0);
    }

    private void argc(List<Token> args, int n, Token op, String form) throws SpecException {
        if (args.size() != n) throw error(args.size() > n ? args.get(n) : op, "expected '" + form + "'");
    }

    private void expectEnd(List<Token> t, int n) throws SpecException {
        if (t.size() > n) throw error(t.get(n), "expected the end of the line, found '" + t.get(n).text + "'");
    }

    private void once(String directive, Token at) throws SpecException {
        Integer first = once.putIfAbsent(directive, lineNo);
        if (first != null) {
            throw error(at, "'" + at.text + "' is given twice (first at line " + first + "); a spec states it once");
        }
    }

    /** An error at the line where a directive was given. */
    private SpecException at(String directive, String message) {
        Integer l = once.get(directive);
        return new SpecException(file, l == null ? 1 : l, 1, message);
    }

    private static String profileNames() {
        return "a release " + dev.mmcheck.model.profile.Timeline.OLDEST + ".." + dev.mmcheck.model.profile.Timeline.NEWEST + " ("
                + String.join(", ", Profiles.ERAS.stream().map(Profile::name).toList().subList(0, 5)) + " and "
                + Profiles.ERAS.get(5).name() + " are the named eras)";
    }

    private static String normalise(String s) {
        int hash = s.indexOf('#');
        return (hash >= 0 ? s.substring(0, hash) : s).trim().replaceAll("\\s+", " ");
    }

    private SpecException error(Token t, String message) {
        return new SpecException(file, lineNo, t.column, message);
    }

    /** Splits a line into words, keeping "quoted strings" whole and dropping # comments. */
    private List<Token> words(String l) throws SpecException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < l.length()) {
            char c = l.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                break;
            } else if (c == '"') {
                int end = l.indexOf('"', i + 1);
                if (end < 0) throw new SpecException(file, lineNo, i + 1, "unterminated string: expected a closing '\"' on this line");
                out.add(new Token(l.substring(i + 1, end), i + 1, true));
                i = end + 1;
            } else {
                int start = i;
                while (i < l.length() && !Character.isWhitespace(l.charAt(i)) && l.charAt(i) != '#' && l.charAt(i) != '"') i++;
                out.add(new Token(l.substring(start, i), start + 1, false));
            }
        }
        return out;
    }

    /**
     * COND := AND ('\/' AND)*;  AND := TERM ('/\' TERM)*;  TERM := '~' TERM | '(' COND ')' | LOC ('==' | '!=') VALUE.
     * Recursion only follows '(' and '~', at most {@link #MAX_NESTING} deep; chains are built as flat lists.
     */
    private final class ConditionParser {
        private final List<Token> toks = new ArrayList<>();
        private int pos;
        private int nesting;
        private int terms;

        ConditionParser(int from) throws SpecException {
            int i = from;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '#') {
                    break;
                } else if (c == '(' || c == ')' || c == '~') {
                    toks.add(new Token(String.valueOf(c), i + 1, false));
                    i++;
                } else if (line.startsWith("/\\", i) || line.startsWith("\\/", i) || line.startsWith("==", i) || line.startsWith("!=", i)) {
                    toks.add(new Token(line.substring(i, i + 2), i + 1, false));
                    i += 2;
                } else if (c == '=' || c == '!') {
                    throw new SpecException(file, lineNo, i + 1, "expected == or !=, found '" + c + "' alone");
                } else if (Character.isLetterOrDigit(c) || c == ':' || c == '_' || c == '-') {
                    int start = i;
                    while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == ':'
                            || line.charAt(i) == '_' || line.charAt(i) == '-')) i++;
                    toks.add(new Token(line.substring(start, i), start + 1, false));
                } else {
                    throw new SpecException(file, lineNo, i + 1, "unexpected '" + c + "' in a condition; expected a location "
                            + "such as P1:A, ==, !=, a value, /\\, \\/, ~ or parentheses");
                }
            }
        }

        Condition parse() throws SpecException {
            Condition c = or();
            if (pos < toks.size()) {
                Token t = toks.get(pos);
                throw error(t, t.text.equals(")") ? "')' without a matching '('" : "expected /\\, \\/ or the end of the line, found '" + t.text + "'");
            }
            return c;
        }

        private Condition or() throws SpecException {
            List<Condition> terms = new ArrayList<>(List.of(and()));
            while (pos < toks.size() && toks.get(pos).text.equals("\\/")) {
                pos++;
                terms.add(and());
            }
            return terms.size() == 1 ? terms.get(0) : new Condition.Or(terms);
        }

        private Condition and() throws SpecException {
            List<Condition> terms = new ArrayList<>(List.of(term()));
            while (pos < toks.size() && toks.get(pos).text.equals("/\\")) {
                pos++;
                terms.add(term());
            }
            return terms.size() == 1 ? terms.get(0) : new Condition.And(terms);
        }

        private Condition term() throws SpecException {
            if (pos >= toks.size()) {
                throw new SpecException(file, lineNo, line.length() + 1, "the condition ends early; expected LOC == VALUE, '~' or '('");
            }
            Token t = toks.get(pos);
            if (t.text.equals("~") || t.text.equals("(")) {
                if (++nesting > MAX_NESTING) throw error(t, "parentheses and '~' nested deeper than " + MAX_NESTING);
                pos++;
                Condition c;
                if (t.text.equals("~")) {
                    c = new Condition.Not(term());
                } else {
                    c = or();
                    if (pos >= toks.size() || !toks.get(pos).text.equals(")")) throw error(t, "this '(' is not closed with ')'");
                    pos++;
                }
                nesting--;
                return c;
            }
            if (++terms > MAX_TERMS) throw error(t, "more than " + MAX_TERMS + " comparisons in one condition");
            int colonAt = t.text.indexOf(':');
            if (colonAt >= 0 && pos + 1 < toks.size() && toks.get(pos + 1).text.equals("(")) return observation(t, colonAt);
            if (pos + 3 > toks.size()) throw error(t, "expected LOC == VALUE, such as P1:A == 0xff or P1:pipe != 0x01");
            String loc = t.text;
            int colon = loc.indexOf(':');
            if (colon < 0) throw error(t, "expected a location PROCESS:PAGE or PROCESS:REFERENCE, such as P1:A or P1:pipe; found '" + loc + "'");
            Pid pid = pid(new Token(loc.substring(0, colon), t.column, false));
            String what = loc.substring(colon + 1);
            Token op = toks.get(pos + 1);
            if (!op.text.equals("==") && !op.text.equals("!=")) throw error(op, "expected == or !=, found '" + op.text + "'");
            int value = value(toks.get(pos + 2));
            pos += 3;
            if (what.length() == 1 && Character.isUpperCase(what.charAt(0))) {
                return new Condition.Compare(pid, page(new Token(what, t.column + colon + 1, false)), 0, op.text.equals("=="), value);
            }
            Token ref = new Token(what, t.column + colon + 1, false);
            int label = labels.indexOf(what) + 1;
            if (label == 0) throw error(ref, "no reference named '" + what + "'" + (labels.isEmpty() ? "" : "; the spec takes " + labels));
            if (labelOwners.get(what) != pid.index()) {
                throw error(ref, "reference '" + what + "' belongs to P" + labelOwners.get(what) + ", not " + pid
                        + "; write P" + labelOwners.get(what) + ":" + what);
            }
            return new Condition.Compare(pid, null, label, op.text.equals("=="), value);
        }

        /** {@code P0:WALKER(PAGE) ==|!= RESULT}, such as {@code P0:folio_walk(A) == anon}. */
        private Condition observation(Token t, int colon) throws SpecException {
            Pid pid = pid(new Token(t.text.substring(0, colon), t.column, false));
            String name = t.text.substring(colon + 1);
            Condition.Walker walker = Condition.Walker.named(name);
            String walkers = java.util.Arrays.stream(Condition.Walker.values()).map(Condition.Walker::specName)
                    .collect(Collectors.joining(", "));
            if (walker == null) {
                throw error(new Token(name, t.column + colon + 1, false), "unknown walker '" + name + "'; expected one of: " + walkers);
            }
            if (pos + 6 > toks.size() || !toks.get(pos + 3).text.equals(")")) {
                throw error(t, "expected " + t.text + "(PAGE) == RESULT, such as P0:folio_walk(A) == anon");
            }
            Vaddr page = page(toks.get(pos + 2));
            Token op = toks.get(pos + 4);
            if (!op.text.equals("==") && !op.text.equals("!=")) throw error(op, "expected == or !=, found '" + op.text + "'");
            Token result = toks.get(pos + 5);
            if (!walker.results().contains(result.text)) {
                throw error(result, name + "() reports one of " + String.join(", ", walker.results()) + "; found '" + result.text + "'");
            }
            pos += 6;
            return new Condition.Observe(pid, walker, page, op.text.equals("=="), result.text);
        }
    }
}
