package dev.mmcheck.lib.repro;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text of a reproducer: the header comment, the step table, the sections of the fixed runtime
 * (runtime.c, next to this class) the steps need, and the generated functions. Knows C, not the model.
 */
final class CProgram {
    /** What the model says a step's call does. */
    enum Expect { EXPECT_FAILED, EXPECT_DONE, EXPECT_ANY }

    /** How a process holds a GUP reference. */
    enum RefKind { PIPE_REF, RING_REF, GUP_REF }

    /** The process number of a step the harness runs itself. */
    static final int HARNESS = -1;

    /**
     * One numbered step.
     *
     * @param proc    the slot of the process that runs it, or {@link #HARNESS}
     * @param spawns  the slot a fork() fills, or -1
     * @param reaps   the slot whose exit the step waits for, or -1
     * @param text    what the step is, as the program prints it ("1. P1 munmap(A)")
     * @param body    the C statements of its case, over {@code struct reply *r}
     */
    record CStep(int proc, Expect expect, int spawns, int reaps, String text, List<String> body) {
    }

    /**
     * Everything a program is made of.
     *
     * @param header   the lines of the leading comment
     * @param skipAll  if not null, the program only reports this skip: a step cannot be made from userspace
     * @param sections the runtime sections the steps use (dependencies are added here)
     * @param refKinds how the program's references are held
     * @param readRefs a check reads through a reference
     * @param forks    some step forks (so children forget their parent's references)
     * @param preflight statements of main() before the first process starts: facilities the steps need
     * @param cleanup  statements of cleanup(), run when the program ends
     * @param check    the end of main() after the last step: the verdict
     * @param observes the check reads values (obs[], bad)
     */
    record Parts(List<String> header, String skipAll, int processes, int pages, int refs, List<CStep> steps,
                 Set<String> sections, Set<RefKind> refKinds, boolean readRefs, boolean forks, List<String> preflight,
                 List<String> cleanup, List<String> check, boolean observes) {
    }

    /** Sections every runnable program has, and what each section needs besides. */
    private static final Map<RefKind, String> READ_SECTION = Map.of(RefKind.PIPE_REF, "pipe-read", RefKind.RING_REF, "ring-read",
            RefKind.GUP_REF, "gup-read");
    private static final List<String> ALWAYS = List.of("core", "globals", "serve", "harness");
    private static final Map<String, List<String>> NEEDS = Map.ofEntries(
            Map.entry("map-anon", List.of("mapped", "status")),
            Map.entry("map-file", List.of("mapped", "status")),
            Map.entry("mapped", List.of("status")),
            Map.entry("observe-page", List.of("pagemap", "load")),
            Map.entry("pageout", List.of("pagemap", "skipped", "status")),
            Map.entry("clear-refs", List.of("status")),
            Map.entry("pipe-ref", List.of("refs", "status")),
            Map.entry("ring-ref", List.of("refs", "status", "skipped")),
            Map.entry("ring-dma", List.of("ring-ref")),
            Map.entry("pipe-read", List.of("pipe-ref")),
            Map.entry("ring-read", List.of("ring-ref")),
            Map.entry("gup-read", List.of("gup-ref")),
            Map.entry("gup-ref", List.of("refs", "status", "skipped")),
            Map.entry("spawn", List.of("status")),
            Map.entry("reap", List.of("status")),
            Map.entry("ksm", List.of("pagemap", "skipped")));

    private CProgram() {
    }

    static String render(Parts p) {
        StringBuilder b = new StringBuilder();
        b.append("/*\n");
        for (String l : p.header()) {
            for (String w : wrap(l, HEADER_WIDTH)) b.append(w.isEmpty() ? " *" : " * " + comment(w)).append('\n');
        }
        b.append(" */\n");
        if (p.skipAll() != null) {
            b.append("#include <stdio.h>\n\n#define KSFT_SKIP 4\n\n");
            b.append("int main(void)\n{\n");
            b.append("\tprintf(\"TAP version 13\\n\");\n");
            b.append("\tprintf(\"1..1\\n\");\n");
            b.append("\tprintf(\"ok 1 # SKIP %s\\n\", ").append(string(p.skipAll())).append(");\n");
            b.append("\treturn KSFT_SKIP;\n}\n");
            return b.toString();
        }
        Map<String, String> runtime = runtime();
        java.util.Set<String> need = new java.util.LinkedHashSet<>(ALWAYS);
        List<String> todo = new ArrayList<>(p.sections());
        if (p.readRefs()) {
            for (RefKind k : p.refKinds()) todo.add(READ_SECTION.get(k));
        }
        while (!todo.isEmpty()) {
            String s = todo.removeLast();
            if (need.add(s)) todo.addAll(NEEDS.getOrDefault(s, List.of()));
        }
        for (String s : need) {
            if (!runtime.containsKey(s)) throw new IllegalStateException("no runtime section '" + s + "'");
        }
        b.append("#define _GNU_SOURCE\n");
        for (String h : List.of("errno.h", "fcntl.h", "poll.h", "setjmp.h", "signal.h", "stdarg.h", "stdint.h", "stdio.h",
                "stdlib.h", "string.h", "sys/ioctl.h", "sys/mman.h", "sys/prctl.h", "sys/syscall.h", "sys/uio.h", "sys/wait.h",
                "unistd.h")) {
            b.append("#include <").append(h).append(">\n");
        }
        b.append('\n');
        b.append("#define NPROC ").append(p.processes()).append("\t\t/* process slots, P0..P").append(p.processes() - 1).append(" */\n");
        b.append("#define NPAGE ").append(p.pages()).append("\t\t/* pages, A..").append((char) ('A' + p.pages() - 1)).append(" */\n");
        if (p.refs() > 0) b.append("#define NREF ").append(p.refs()).append("\t\t/* GUP references the trace takes */\n");
        b.append('\n');
        b.append(runtime.get("core")).append('\n');
        b.append("static const struct step steps[] = {\n");
        for (CStep s : p.steps()) {
            b.append("\t{ ").append(s.proc() == HARNESS ? "HARNESS" : String.valueOf(s.proc())).append(", ").append(s.expect())
                    .append(", ").append(s.spawns()).append(", ").append(s.reaps()).append(", ").append(string(s.text()))
                    .append(" },\n");
        }
        b.append("};\n\n#define NSTEP ((int)(sizeof(steps) / sizeof(steps[0])))\n\n");
        for (String s : List.of("globals", "status", "skipped", "store", "load", "mapped", "map-anon", "map-file", "pagemap",
                "observe-page", "swap", "pageout", "clear-refs", "refs", "pipe-ref", "pipe-read", "ring-ref", "ring-read", "ring-dma",
                "gup-ref", "gup-read")) {
            if (need.contains(s)) b.append(runtime.get(s)).append('\n');
        }
        refOperations(b, p);
        for (String s : List.of("spawn", "reap", "ksm")) {
            if (need.contains(s)) b.append(runtime.get(s)).append('\n');
        }
        b.append("/* The steps of the trace, each run by the process the trace runs it in. */\n");
        b.append("static void run_step(int s, struct reply *r)\n{\n\tswitch (s) {\n");
        cases(b, p.steps(), false);
        b.append("\t}\n}\n\n");
        b.append(runtime.get("serve")).append('\n');
        b.append("/* Undoes what the preflight changed. */\nstatic void cleanup(void)\n{\n");
        for (String l : p.cleanup()) b.append('\t').append(l).append('\n');
        b.append("}\n\n");
        b.append("/* The steps the harness runs itself. */\n");
        b.append("static void harness_step(int s, struct reply *r)\n{\n\tswitch (s) {\n");
        cases(b, p.steps(), true);
        b.append("\tdefault:\n\t\tr->status = FAILED;\n\t\tbreak;\n\t}\n}\n\n");
        b.append(runtime.get("harness")).append('\n');
        if (p.observes()) b.append(runtime.get("show")).append('\n');
        b.append("int main(void)\n{\n\tstruct reply r;\n");
        if (p.observes()) b.append("\tint obs[NSTEP];\n\tint bad;\n");
        b.append('\n');
        b.append("\tpagesize = sysconf(_SC_PAGESIZE);\n");
        b.append("\tsignal(SIGPIPE, SIG_IGN);\n");
        b.append("\tsay(\"TAP version 13\\n\");\n");
        b.append("\tsay(\"1..1\\n\");\n");
        for (String l : p.preflight()) b.append(l.isEmpty() ? "" : "\t" + l).append('\n');
        if (p.refs() > 0) {
            b.append("\tscratch = mmap(NULL, pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);\n");
            b.append("\tif (scratch == MAP_FAILED)\n\t\tbail(\"mmap(): %s\", strerror(errno));\n");
        }
        b.append("""
                \tif (pipe(answer) < 0)
                \t\tbail("pipe(): %s", strerror(errno));
                \tfor (int n = 0; n < NPROC; n++) {
                \t\tif (pipe(go[n]) < 0)
                \t\t\tbail("pipe(): %s", strerror(errno));
                \t}
                \t/* A process whose parent exits is reparented to the harness, which waits for it. */
                \tif (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
                \t\tbail("prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
                \tpid[0] = fork();
                \tif (pid[0] < 0)
                \t\tbail("fork(): %s", strerror(errno));
                \tif (pid[0] == 0)
                \t\tstart();
                \tclose(answer[1]);
                \tfor (int n = 0; n < NPROC; n++)
                \t\tclose(go[n][0]);
                """);
        if (p.observes()) {
            b.append("\tfor (int s = 0; s < NSTEP; s++) {\n\t\trun(s, &r);\n\t\tobs[s] = r.value;\n\t}\n");
        } else {
            b.append("\tfor (int s = 0; s < NSTEP; s++)\n\t\trun(s, &r);\n");
        }
        for (String l : p.check()) b.append(l.isEmpty() ? "" : "\t" + l).append('\n');
        b.append("}\n");
        return b.toString();
    }

    private static void cases(StringBuilder b, List<CStep> steps, boolean harness) {
        for (int i = 0; i < steps.size(); i++) {
            CStep s = steps.get(i);
            if ((s.proc() == HARNESS) != harness) continue;
            b.append("\tcase ").append(i).append(":\t/* ").append(comment(s.text())).append(" */\n");
            for (String l : s.body()) b.append("\t\t").append(l).append('\n');
            b.append("\t\tbreak;\n");
        }
    }

    /** read_ref(), release_ref(), release_refs() and forget_refs() over the kinds of reference the program holds. */
    private static void refOperations(StringBuilder b, Parts p) {
        if (p.refs() == 0) {
            b.append("/* The trace takes no GUP reference. */\nstatic void release_refs(void)\n{\n}\n\n");
            if (p.forks()) b.append("static void forget_refs(void)\n{\n}\n\n");
            return;
        }
        Set<RefKind> k = p.refKinds();
        if (p.readRefs()) {
            b.append("/* What a read through reference n returns: the content of the page it holds. */\n");
            b.append("static int read_ref(int n)\n{\n\tswitch (ref_kind[n]) {\n");
            if (k.contains(RefKind.PIPE_REF)) b.append("\tcase PIPE_REF:\n\t\treturn pipe_read(n);\n");
            if (k.contains(RefKind.RING_REF)) b.append("\tcase RING_REF:\n\t\treturn ring_read(n);\n");
            if (k.contains(RefKind.GUP_REF)) b.append("\tcase GUP_REF:\n\t\treturn gup_read();\n");
            b.append("\tdefault:\n\t\treturn NONE;\n\t}\n}\n\n");
        }
        b.append("static void release_ref(int n)\n{\n\tswitch (ref_kind[n]) {\n");
        if (k.contains(RefKind.PIPE_REF)) b.append("\tcase PIPE_REF:\n\t\tpipe_close(n);\n\t\tbreak;\n");
        if (k.contains(RefKind.RING_REF)) b.append("\tcase RING_REF:\n\t\tring_close(n);\n\t\tbreak;\n");
        if (k.contains(RefKind.GUP_REF)) b.append("\tcase GUP_REF:\n\t\tgup_stop();\n\t\tbreak;\n");
        b.append("\tdefault:\n\t\tbreak;\n\t}\n\tref_kind[n] = NO_REF;\n}\n\n");
        b.append("""
                /*
                 * exit() releases the references of the process (the model's exit does): here before the process
                 * exits, since io_uring would unpin its buffers only later, from a workqueue.
                 */
                static void release_refs(void)
                {
                \tfor (int n = 0; n < NREF; n++)
                \t\trelease_ref(n);
                }

                """);
        if (p.forks()) {
            b.append("/* A child of fork() holds none of its parent's references: it closes its copies of their files. */\n");
            b.append("static void forget_refs(void)\n{\n\tfor (int n = 0; n < NREF; n++) {\n");
            if (k.contains(RefKind.PIPE_REF)) b.append("\t\tif (ref_kind[n] == PIPE_REF)\n\t\t\tpipe_close(n);\n");
            if (k.contains(RefKind.RING_REF)) b.append("\t\tif (ref_kind[n] == RING_REF)\n\t\t\tring_unmap(&ring[n]);\n");
            b.append("\t\tref_kind[n] = NO_REF;\n\t}\n}\n\n");
        }
    }

    /** The runtime's sections by name, marker lines and the file's leading comment left out. */
    private static Map<String, String> runtime() {
        String text;
        try (InputStream in = CProgram.class.getResourceAsStream("runtime.c")) {
            if (in == null) throw new IllegalStateException("runtime.c is missing from the classpath");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> sections = new LinkedHashMap<>();
        String name = null;
        StringBuilder cur = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("/*@ ") && line.endsWith(" */")) {
                if (name != null) sections.put(name, cur.toString());
                name = line.substring(4, line.length() - 3);
                cur.setLength(0);
            } else if (name != null) {
                cur.append(line).append('\n');
            }
        }
        if (name != null) sections.put(name, cur.toString().stripTrailing() + "\n");
        return sections;
    }

    /** Columns of the header comment's text. */
    static final int HEADER_WIDTH = 100;

    /**
     * A line broken at spaces into lines of at most {@code width} columns. Continuations keep its indentation, or
     * line up after a leading label ("cites:    ").
     */
    static List<String> wrap(String line, int width) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher label = java.util.regex.Pattern.compile("^[a-z]+: +").matcher(line);
        String indent = label.find() ? " ".repeat(label.end()) : line.substring(0, line.length() - line.stripLeading().length());
        String rest = line;
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= indent.length()) break;
            out.add(rest.substring(0, cut));
            rest = indent + rest.substring(cut + 1).stripLeading();
        }
        out.add(rest);
        return out;
    }

    /** A C string literal. */
    static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '?' -> b.append(i + 1 < s.length() && s.charAt(i + 1) == '?' ? "?\\" : "?");
                default -> b.append(c < 0x20 ? String.format("\\%03o", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }

    /** Text safe inside a C block comment (no comment end, no trigraph). */
    static String comment(String s) {
        return s.replace("*/", "* /").replace("??", "? ?");
    }
}
