package dev.mmcheck.arch.layout;

import java.util.ArrayList;
import java.util.List;

/** A precedence-climbing parser for the layout expression language (LAYOUTS.md). */
final class ExprParser {
    private static final List<List<String>> LEVELS = List.of(
            List.of("||"), List.of("&&"), List.of("|"), List.of("^"), List.of("&"), List.of("==", "!="),
            List.of("<", "<=", ">", ">="), List.of("<<", ">>"), List.of("+", "-"), List.of("*", "/", "%"));

    private final List<String> tokens;
    private int pos;

    private ExprParser(List<String> tokens) {
        this.tokens = tokens;
    }

    /** Parses one expression; throws IllegalArgumentException naming the token where it went wrong. */
    static Expr parse(String text) {
        ExprParser p = new ExprParser(tokenize(text));
        Expr e = p.conditional();
        if (p.pos != p.tokens.size()) throw new IllegalArgumentException("unexpected '" + p.tokens.get(p.pos) + "'");
        return e;
    }

    private Expr conditional() {
        Expr c = binary(0);
        if (accept("?")) {
            Expr a = conditional();
            expect(":");
            Expr b = conditional();
            return new Expr.Cond(c, a, b);
        }
        return c;
    }

    private Expr binary(int level) {
        if (level == LEVELS.size()) return unary();
        Expr left = binary(level + 1);
        while (pos < tokens.size() && LEVELS.get(level).contains(tokens.get(pos))) {
            String op = tokens.get(pos++);
            left = new Expr.Binary(op, left, binary(level + 1));
        }
        return left;
    }

    private Expr unary() {
        if (pos < tokens.size() && List.of("~", "!", "-").contains(tokens.get(pos))) {
            String op = tokens.get(pos++);
            return new Expr.Unary(op, unary());
        }
        return primary();
    }

    private Expr primary() {
        if (pos >= tokens.size()) throw new IllegalArgumentException("expression ends early");
        String t = tokens.get(pos++);
        if (t.equals("(")) {
            Expr e = conditional();
            expect(")");
            return e;
        }
        if (Character.isDigit(t.charAt(0))) return new Expr.Num(number(t));
        if (!Character.isJavaIdentifierStart(t.charAt(0))) throw new IllegalArgumentException("unexpected '" + t + "'");
        if (accept("(")) {
            List<Expr> args = new ArrayList<>();
            if (!accept(")")) {
                do {
                    args.add(conditional());
                } while (accept(","));
                expect(")");
            }
            return new Expr.Call(t, args);
        }
        return new Expr.Name(t);
    }

    private static long number(String t) {
        String s = t.replaceAll("[uUlL]+$", "");
        try {
            return s.startsWith("0x") || s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + t + "'");
        }
    }

    private boolean accept(String t) {
        if (pos < tokens.size() && tokens.get(pos).equals(t)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String t) {
        if (!accept(t)) {
            throw new IllegalArgumentException("expected '" + t + "'" + (pos < tokens.size() ? " before '" + tokens.get(pos) + "'" : " at the end"));
        }
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                out.add(s.substring(i, j));
                i = j;
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (List.of("<<", ">>", "<=", ">=", "==", "!=", "&&", "||").contains(two)) {
                    out.add(two);
                    i += 2;
                } else if ("~!-*/%+<>&^|?:(),".indexOf(c) >= 0) {
                    out.add(String.valueOf(c));
                    i++;
                } else {
                    throw new IllegalArgumentException("unexpected character '" + c + "'");
                }
            }
        }
        return out;
    }
}
