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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Parses the spec language documented in specs/README.md. Line oriented: a directive per line, blocks
 * in braces ({@code setup { ... }}, {@code P0 { ... }}), {@code #} comments. Every error names the file,
 * line and column and what was expected.
 */
public final class SpecParser {
    private static final String STEP_FORMS = "mmap, munmap, read, write, fork, exit, get, pin, vmsplice, "
            + "io_uring_register, unpin, put, dma-write, mprotect, madvise, clear-soft-dirty, reclaim, ksm-merge";
    private static final String OP_KINDS = "read, write, get(ro|rw[,longterm][,fast]), pin(ro|rw[,longterm][,fast]), "
            + "release, dma-write, fork, exit, munmap, madvise(dontneed|dontfork|dofork|pageout), mprotect(ro|rw), "
            + "clear-soft-dirty, reclaim, ksm-merge";
    private static final long DEFAULT_MAX_STATES = 10_000_000L;

    private final String file;
    private int lineNo;

    private String name;
    private String title = "";
    private final List<String> cites = new ArrayList<>();
    private String profile;
    private final List<Spec.Variant> variants = new ArrayList<>();
    private Integer processes;
    private Integer pages;
    private Integer depth;
    private Long maxStates;
    private final List<Spec.SetupStep> setup = new ArrayList<>();
    private final Map<Integer, List<ProgramStep>> programs = new LinkedHashMap<>();
    private final List<OpTemplate> alphabet = new ArrayList<>();
    private final List<String> checks = new ArrayList<>();
    private final List<String> witnesses = new ArrayList<>();
    private Spec.Outcome outcome;
    private final List<String> labels = new ArrayList<>();
    private final Map<String, Integer> labelOwners = new LinkedHashMap<>();

    private SpecParser(String file) {
        this.file = file;
    }

    public static Spec parse(Path path) throws SpecException {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new SpecException(path.toString(), 0, 0, "no such file");
        } catch (IOException e) {
            throw new SpecException(path.toString(), 0, 0, "cannot read: " + e.getMessage());
        }
        return parse(path.toString(), text);
    }

    public static Spec parse(String file, String text) throws SpecException {
        return new SpecParser(file).run(text);
    }

    private record Token(String text, int column) {
    }

    private Spec run(String text) throws SpecException {
        String[] lines = text.split("\n", -1);
        Integer block = null; // null: top level; -1: setup; n >= 0: program of Pn
        int blockLine = 0;
        for (int i = 0; i < lines.length; i++) {
            lineNo = i + 1;
            List<Token> t = tokenize(lines[i]);
            if (t.isEmpty()) continue;
            if (block != null) {
                if (t.get(0).text.equals("}")) {
                    expectEnd(t, 1);
                    block = null;
                    continue;
                }
                if (block == -1) {
                    Token who = t.get(0);
                    if (!who.text.endsWith(":")) throw error(who, "a setup step starts with its process, as in 'P0: mmap A anon rw'");
                    Pid pid = pid(new Token(who.text.substring(0, who.text.length() - 1), who.column));
                    setup.add(new Spec.SetupStep(pid, step(pid, t.subList(1, t.size()), who), lineNo));
                } else {
                    Pid pid = new Pid(block);
                    programs.get(block).add(step(pid, t, t.get(0)));
                }
                continue;
            }
            directive(t);
            if (t.get(t.size() - 1).text.equals("{")) {
                blockLine = lineNo;
                block = t.get(0).text.equals("setup") ? -1 : pid(t.get(0)).index();
            }
        }
        if (block != null) {
            lineNo = blockLine;
            throw new SpecException(file, blockLine, 1, "block opened here is not closed with '}'");
        }
        return finish();
    }

    private void directive(List<Token> t) throws SpecException {
        Token head = t.get(0);
        switch (head.text) {
            case "spec" -> name = single(t, "a spec name");
            case "title" -> title = single(t, "a quoted title");
            case "cite" -> cites.add(single(t, "a quoted citation"));
            case "profile" -> {
                Token p = one(t, "a profile name (" + profileNames() + ")");
                if (Profiles.named(p.text).isEmpty()) {
                    throw error(p, "unknown profile '" + p.text + "'; expected one of " + profileNames());
                }
                profile = p.text;
            }
            case "set" -> variants.add(variant(t));
            case "processes" -> processes = bound(t, 1, MmState.MAX_PROCESSES, "processes");
            case "pages" -> pages = bound(t, 1, MmState.MAX_PAGES, "pages");
            case "depth" -> depth = bound(t, 0, 1000, "depth");
            case "max-states" -> maxStates = (long) bound(t, 1, Integer.MAX_VALUE, "max-states");
            case "setup" -> expectEnd(t.subList(1, t.size()), 0, "'{' after 'setup'", true);
            case "ops" -> {
                if (t.size() < 2) throw error(head, "expected operation kinds after 'ops': " + OP_KINDS);
                for (Token op : t.subList(1, t.size())) alphabet.add(opTemplate(op));
            }
            case "check" -> names(t, checks, Catalogue.INVARIANTS.stream().map(Invariant::name).toList(), "invariant");
            case "witness" -> names(t, witnesses, Catalogue.WITNESSES.stream().map(Reachability::name).toList(), "witness");
            case "exists", "forbidden" -> {
                if (outcome != null) throw error(head, "only one exists/forbidden clause per spec");
                if (t.size() < 2) throw error(head, "expected a condition such as 'P1:A == 0xff'");
                ConditionParser cp = new ConditionParser(t.subList(1, t.size()));
                Condition c = cp.or();
                if (cp.pos < cp.toks.size()) throw error(cp.toks.get(cp.pos), "expected '/\\', '\\/' or the end of the line");
                String text = t.subList(1, t.size()).stream().map(Token::text).collect(Collectors.joining(" "));
                outcome = new Spec.Outcome(head.text.equals("exists"), c, text);
            }
            default -> {
                if (head.text.matches("P\\d+") && t.size() >= 2 && t.get(1).text.equals("{")) {
                    expectEnd(t, 2);
                    int p = pid(head).index();
                    if (programs.containsKey(p)) throw error(head, "a second program for " + head.text);
                    programs.put(p, new ArrayList<>());
                    return;
                }
                throw error(head, "unknown directive '" + head.text + "'; expected spec, title, cite, profile, set, "
                        + "processes, pages, depth, max-states, setup {, P<n> {, ops, check, witness, exists or forbidden");
            }
        }
    }

    private Spec finish() throws SpecException {
        lineNo = 0;
        if (name == null) throw new SpecException(file, 1, 1, "missing 'spec NAME' line");
        if (profile == null) throw new SpecException(file, 1, 1, "missing 'profile' line; expected one of " + profileNames());
        if (processes == null || pages == null) {
            throw new SpecException(file, 1, 1, "missing bounds: a spec needs 'processes N' and 'pages N'");
        }
        if (programs.isEmpty() == alphabet.isEmpty()) {
            throw new SpecException(file, 1, 1, programs.isEmpty()
                    ? "nothing to check: expected per-process programs ('P0 { ... }') or an exploration ('ops ...')"
                    : "a spec has either programs or an 'ops' exploration, not both");
        }
        List<List<ProgramStep>> progs = new ArrayList<>();
        int total = 0;
        if (!programs.isEmpty()) {
            int max = programs.keySet().stream().max(Integer::compare).orElseThrow();
            for (int p = 0; p <= max; p++) {
                List<ProgramStep> steps = programs.getOrDefault(p, List.of());
                progs.add(steps);
                total += steps.size();
            }
            if (outcome == null && checks.isEmpty()) {
                throw new SpecException(file, 1, 1, "programs need an 'exists'/'forbidden' clause or 'check' invariants");
            }
            if (depth != null) throw new SpecException(file, 1, 1, "'depth' is for explorations; programs run to their end");
        } else {
            if (depth == null) throw new SpecException(file, 1, 1, "an exploration needs a 'depth N' bound");
            if (outcome != null) throw new SpecException(file, 1, 1, "exists/forbidden clauses are for programs; use 'check'");
            if (checks.isEmpty()) throw new SpecException(file, 1, 1, "an exploration needs 'check' invariants");
        }
        return new Spec(file, name, title, List.copyOf(cites), profile, List.copyOf(variants), processes, pages,
                programs.isEmpty() ? depth : total, maxStates == null ? DEFAULT_MAX_STATES : maxStates, List.copyOf(setup),
                List.copyOf(progs), List.copyOf(alphabet), List.copyOf(checks), List.copyOf(witnesses),
                Optional.ofNullable(outcome), List.copyOf(labels));
    }

    // ---- steps

    private ProgramStep step(Pid pid, List<Token> t, Token at) throws SpecException {
        if (t.isEmpty()) throw error(at, "expected a step: " + STEP_FORMS);
        Token op = t.get(0);
        String text = t.stream().map(Token::text).collect(Collectors.joining(" "));
        List<Token> args = t.subList(1, t.size());
        Op fixed = switch (op.text) {
            case "mmap" -> {
                argc(args, 3, op, "mmap PAGE anon|file-private|file-shared ro|rw");
                VmaKind kind = switch (args.get(1).text) {
                    case "anon" -> VmaKind.ANON_PRIVATE;
                    case "file-private" -> VmaKind.FILE_PRIVATE;
                    case "file-shared" -> VmaKind.FILE_SHARED;
                    default -> throw error(args.get(1), "expected anon, file-private or file-shared");
                };
                yield new Op.Mmap(pid, page(args.get(0)), kind, rw(args.get(2)));
            }
            case "munmap" -> new Op.Munmap(pid, page(only(args, op, "munmap PAGE")));
            case "read" -> new Op.Read(pid, page(only(args, op, "read PAGE")));
            case "write" -> {
                if (args.isEmpty() || args.size() > 2) throw error(op, "expected 'write PAGE [VALUE]'");
                yield new Op.Write(pid, page(args.get(0)), args.size() == 2 ? value(args.get(1)) : OpTemplate.STORED_VALUE);
            }
            case "fork" -> {
                Pid child = pid(only(args, op, "fork P<n> (the child's process slot)"));
                yield new Op.Fork(pid, child);
            }
            case "exit" -> {
                argc(args, 0, op, "exit");
                yield new Op.Exit(pid);
            }
            case "get", "pin", "vmsplice", "io_uring_register" -> gup(pid, op, args);
            case "unpin", "put", "dma-write" -> null;
            case "mprotect" -> {
                argc(args, 2, op, "mprotect PAGE ro|rw");
                yield new Op.Mprotect(pid, page(args.get(0)), rw(args.get(1)));
            }
            case "madvise" -> {
                argc(args, 2, op, "madvise PAGE dontneed|dontfork|dofork|mergeable|pageout");
                Op.Advice advice = switch (args.get(1).text) {
                    case "dontneed" -> Op.Advice.DONTNEED;
                    case "dontfork" -> Op.Advice.DONTFORK;
                    case "dofork" -> Op.Advice.DOFORK;
                    case "mergeable" -> Op.Advice.MERGEABLE;
                    case "pageout" -> Op.Advice.PAGEOUT;
                    default -> throw error(args.get(1), "expected dontneed, dontfork, dofork, mergeable or pageout");
                };
                yield new Op.Madvise(pid, page(args.get(0)), advice);
            }
            case "clear-soft-dirty" -> {
                argc(args, 0, op, "clear-soft-dirty");
                yield new Op.ClearSoftDirty(pid);
            }
            case "reclaim" -> new Op.Reclaim(pid, page(only(args, op, "reclaim PAGE")));
            case "ksm-merge" -> {
                argc(args, 3, op, "ksm-merge PAGE P<n> PAGE");
                yield new Op.KsmMerge(pid, page(args.get(0)), pid(args.get(1)), page(args.get(2)));
            }
            default -> throw error(op, "unknown operation '" + op.text + "'; expected one of: " + STEP_FORMS);
        };
        if (fixed != null) return new ProgramStep.Fixed(fixed, text);
        // unpin NAME / put NAME / dma-write NAME [VALUE]
        boolean release = !op.text.equals("dma-write");
        if (args.isEmpty() || args.size() > (release ? 1 : 2)) {
            throw error(op, "expected '" + op.text + " NAME" + (release ? "" : " [VALUE]") + "' naming a reference taken 'as NAME'");
        }
        Token ref = args.get(0);
        Integer label = labels.indexOf(ref.text) + 1;
        if (label == 0) throw error(ref, "no reference named '" + ref.text + "' was taken before (with 'as " + ref.text + "')");
        if (labelOwners.get(ref.text) != pid.index()) {
            throw error(ref, "'" + ref.text + "' belongs to P" + labelOwners.get(ref.text) + ", not " + pid);
        }
        int value = !release && args.size() == 2 ? value(args.get(1)) : OpTemplate.STORED_VALUE;
        return new ProgramStep.OnReference(pid, label, ref.text, release, value, text);
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
        boolean simple = op.text.equals("vmsplice") || op.text.equals("io_uring_register");
        for (int i = 1; i < args.size(); i++) {
            Token a = args.get(i);
            switch (simple ? (a.text.equals("as") ? "as" : "?") : a.text) {
                case "ro" -> flags &= ~GupFlag.WRITE.bit();
                case "rw" -> flags |= GupFlag.WRITE.bit();
                case "longterm" -> flags |= GupFlag.LONGTERM.bit();
                case "fast" -> flags |= GupFlag.FAST.bit();
                case "as" -> {
                    if (i + 1 != args.size() - 1) throw error(a, "expected one name after 'as'");
                    labelName = args.get(++i).text;
                    if (!labelName.matches("[a-z][a-z0-9_-]*")) {
                        throw error(args.get(i), "a reference name is lower case letters, digits, '-' and '_'");
                    }
                    if (labels.contains(labelName)) throw error(args.get(i), "reference name '" + labelName + "' is taken already");
                    labels.add(labelName);
                    labelOwners.put(labelName, pid.index());
                }
                default -> throw error(a, simple ? "expected 'as NAME'" : "expected ro, rw, longterm, fast or 'as NAME'");
            }
        }
        int label = labelName.isEmpty() ? 0 : labels.indexOf(labelName) + 1;
        return new Op.Gup(pid, page, flags, label, labelName);
    }

    private OpTemplate opTemplate(Token t) throws SpecException {
        String s = t.text;
        String head = s.contains("(") ? s.substring(0, s.indexOf('(')) : s;
        List<String> params = new ArrayList<>();
        if (s.contains("(")) {
            if (!s.endsWith(")")) throw error(t, "expected ')' to close '" + s + "'");
            for (String p : s.substring(s.indexOf('(') + 1, s.length() - 1).split(",")) params.add(p.trim());
        }
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
            default -> null;
        };
        if (simple != null) {
            if (!params.isEmpty()) throw error(t, "'" + head + "' takes no parameters");
            return OpTemplate.of(simple);
        }
        switch (head) {
            case "get", "pin" -> {
                int flags = head.equals("pin") ? GupFlag.PIN.bit() : 0;
                if (params.isEmpty()) throw error(t, "expected " + head + "(ro|rw[,longterm][,fast])");
                for (String p : params) {
                    switch (p) {
                        case "ro" -> {
                        }
                        case "rw" -> flags |= GupFlag.WRITE.bit();
                        case "longterm" -> flags |= GupFlag.LONGTERM.bit();
                        case "fast" -> flags |= GupFlag.FAST.bit();
                        default -> throw error(t, "unknown GUP flag '" + p + "'; expected ro, rw, longterm or fast");
                    }
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
            case "mprotect" -> {
                if (params.size() != 1 || !(params.get(0).equals("ro") || params.get(0).equals("rw"))) {
                    throw error(t, "expected mprotect(ro) or mprotect(rw)");
                }
                return OpTemplate.of(params.get(0).equals("ro") ? OpTemplate.Kind.MPROTECT_RO : OpTemplate.Kind.MPROTECT_RW);
            }
            default -> throw error(t, "unknown operation kind '" + head + "'; expected one of: " + OP_KINDS);
        }
    }

    // ---- small parsers

    private Pid pid(Token t) throws SpecException {
        if (!t.text.matches("P\\d+")) throw error(t, "expected a process such as P0 or P1, got '" + t.text + "'");
        int n = Integer.parseInt(t.text.substring(1));
        int limit = processes == null ? MmState.MAX_PROCESSES : processes;
        if (n >= limit) {
            throw error(t, t.text + " is outside the bounds: 'processes " + limit + "' allows P0..P" + (limit - 1));
        }
        return new Pid(n);
    }

    private Vaddr page(Token t) throws SpecException {
        int limit = pages == null ? MmState.MAX_PAGES : pages;
        if (t.text.length() != 1 || t.text.charAt(0) < 'A' || t.text.charAt(0) > 'Z') {
            throw error(t, "expected a page name A.." + (char) ('A' + limit - 1) + ", got '" + t.text + "'");
        }
        int n = t.text.charAt(0) - 'A';
        if (n >= limit) throw error(t, "page " + t.text + " is outside the bounds: 'pages " + limit + "'");
        return new Vaddr(n);
    }

    private boolean rw(Token t) throws SpecException {
        return switch (t.text) {
            case "rw" -> true;
            case "ro" -> false;
            default -> throw error(t, "expected ro or rw");
        };
    }

    private int value(Token t) throws SpecException {
        try {
            int v = t.text.startsWith("0x") ? Integer.parseInt(t.text.substring(2), 16) : Integer.parseInt(t.text);
            if (v < 0 || v > 0xff) throw error(t, "a page value is a byte, 0..0xff");
            return v;
        } catch (NumberFormatException e) {
            throw error(t, "expected a byte value such as 0xff, got '" + t.text + "'");
        }
    }

    private Spec.Variant variant(List<Token> t) throws SpecException {
        if (t.size() != 4 || !t.get(2).text.equals("=")) {
            throw error(t.get(0), "expected 'set DECISION-POINT = CHOICE'");
        }
        Token pt = t.get(1);
        DecisionPoint<?> point = DecisionPoint.named(pt.text).orElseThrow(() -> error(pt, "unknown decision point '"
                + pt.text + "'; expected one of " + DecisionPoint.ALL.stream().map(DecisionPoint::name).collect(Collectors.joining(", "))));
        Token ct = t.get(3);
        Decision choice = point.choice(ct.text).orElseThrow(() -> error(ct, "unknown choice '" + ct.text + "' for "
                + point.name() + "; expected one of " + point.choices().stream().map(Decision::specName).collect(Collectors.joining(", "))));
        return new Spec.Variant(point, choice);
    }

    private void names(List<Token> t, List<String> into, List<String> known, String what) throws SpecException {
        if (t.size() < 2) throw error(t.get(0), "expected " + what + " names or 'all'");
        for (Token n : t.subList(1, t.size())) {
            if (n.text.equals("all")) {
                into.addAll(known);
            } else if (known.contains(n.text)) {
                into.add(n.text);
            } else {
                throw error(n, "unknown " + what + " '" + n.text + "'; expected one of " + String.join(", ", known));
            }
        }
    }

    private int bound(List<Token> t, int min, int max, String what) throws SpecException {
        Token v = one(t, "a number");
        int n;
        try {
            n = Integer.parseInt(v.text.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw error(v, "expected a number for " + what + ", got '" + v.text + "'");
        }
        if (n < min || n > max) throw error(v, "impossible bound: " + what + " must be " + min + ".." + max + ", got " + n);
        return n;
    }

    private String single(List<Token> t, String expected) throws SpecException {
        return one(t, expected).text;
    }

    private Token one(List<Token> t, String expected) throws SpecException {
        if (t.size() != 2) throw error(t.get(t.size() > 2 ? 2 : 0), "expected " + expected + " after '" + t.get(0).text + "'");
        return t.get(1);
    }

    private Token only(List<Token> args, Token op, String form) throws SpecException {
        if (args.size() != 1) throw error(op, "expected '" + form + "'");
        return args.get(0);
    }

    private void argc(List<Token> args, int n, Token op, String form) throws SpecException {
        if (args.size() != n) throw error(op, "expected '" + form + "'");
    }

    private void expectEnd(List<Token> t, int n) throws SpecException {
        expectEnd(t, n, "the end of the line", false);
    }

    private void expectEnd(List<Token> t, int n, String what, boolean needBrace) throws SpecException {
        if (needBrace) {
            if (t.size() != 1 || !t.get(0).text.equals("{")) {
                throw new SpecException(file, lineNo, t.isEmpty() ? 1 : t.get(0).column, "expected " + what);
            }
            return;
        }
        if (t.size() > n) throw error(t.get(n), "expected " + what);
    }

    private static String profileNames() {
        return Profiles.ALL.stream().map(Profile::name).collect(Collectors.joining(", "));
    }

    private SpecException error(Token t, String message) {
        return new SpecException(file, lineNo, t.column, message);
    }

    /** Splits a line into words, keeping "quoted strings" whole and dropping # comments. Parentheses hold their commas and spaces. */
    private List<Token> tokenize(String line) throws SpecException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                break;
            } else if (c == '"') {
                int end = line.indexOf('"', i + 1);
                if (end < 0) throw new SpecException(file, lineNo, i + 1, "unterminated string");
                out.add(new Token(line.substring(i + 1, end), i + 1));
                i = end + 1;
            } else {
                int start = i;
                int depthParen = 0;
                while (i < line.length() && (depthParen > 0 || !Character.isWhitespace(line.charAt(i))) && line.charAt(i) != '#') {
                    if (line.charAt(i) == '(') depthParen++;
                    if (line.charAt(i) == ')') depthParen--;
                    i++;
                }
                out.add(new Token(line.substring(start, i).replace(" ", ""), start + 1));
            }
        }
        return out;
    }

    /** COND := TERM (('/\' | '\/') TERM)*;  TERM := '~' TERM | '(' COND ')' | LOC ('==' | '!=') VALUE. */
    private final class ConditionParser {
        final List<Token> toks;
        int pos;

        ConditionParser(List<Token> toks) {
            List<Token> split = new ArrayList<>();
            for (Token t : toks) {
                // allow "(P1:A" and "0xff)" written without spaces
                String s = t.text;
                int col = t.column;
                while (s.startsWith("(") || s.startsWith("~")) {
                    split.add(new Token(s.substring(0, 1), col));
                    s = s.substring(1);
                    col++;
                }
                int close = 0;
                while (s.endsWith(")") && s.length() > 1) {
                    s = s.substring(0, s.length() - 1);
                    close++;
                }
                if (!s.isEmpty()) split.add(new Token(s, col));
                for (int k = 0; k < close; k++) split.add(new Token(")", col + s.length() + k));
            }
            this.toks = split;
        }

        Condition or() throws SpecException {
            Condition c = and();
            while (pos < toks.size() && toks.get(pos).text.equals("\\/")) {
                pos++;
                c = new Condition.Or(c, and());
            }
            return c;
        }

        Condition and() throws SpecException {
            Condition c = term();
            while (pos < toks.size() && toks.get(pos).text.equals("/\\")) {
                pos++;
                c = new Condition.And(c, term());
            }
            return c;
        }

        Condition term() throws SpecException {
            if (pos >= toks.size()) throw new SpecException(file, lineNo, 1, "condition ends early; expected LOC == VALUE");
            Token t = toks.get(pos);
            if (t.text.equals("~")) {
                pos++;
                return new Condition.Not(term());
            }
            if (t.text.equals("(")) {
                pos++;
                Condition c = or();
                if (pos >= toks.size() || !toks.get(pos).text.equals(")")) throw error(t, "'(' is not closed");
                pos++;
                return c;
            }
            if (pos + 3 > toks.size()) {
                throw error(t, "expected LOC == VALUE, such as P1:A == 0xff or P1:pipe != 0x01");
            }
            String loc = t.text;
            int colon = loc.indexOf(':');
            if (colon < 0) throw error(t, "expected a location PROCESS:PAGE or PROCESS:REFERENCE, such as P1:A or P1:pipe");
            Pid pid = pid(new Token(loc.substring(0, colon), t.column));
            String what = loc.substring(colon + 1);
            Token op = toks.get(pos + 1);
            if (!op.text.equals("==") && !op.text.equals("!=")) throw error(op, "expected == or !=");
            int value = value(toks.get(pos + 2));
            pos += 3;
            if (what.length() == 1 && Character.isUpperCase(what.charAt(0))) {
                return new Condition.Compare(pid, page(new Token(what, t.column + colon + 1)), 0, op.text.equals("=="), value);
            }
            int label = labels.indexOf(what) + 1;
            if (label == 0) throw error(t, "no reference named '" + what + "'");
            return new Condition.Compare(pid, null, label, op.text.equals("=="), value);
        }
    }
}
