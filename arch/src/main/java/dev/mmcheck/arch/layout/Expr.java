package dev.mmcheck.arch.layout;

import java.util.List;

/** An expression of the layout language (C semantics on unsigned 64-bit values). */
public sealed interface Expr {
    record Num(long value) implements Expr {
    }

    record Name(String name) implements Expr {
    }

    /** {@code ~ ! -} */
    record Unary(String op, Expr operand) implements Expr {
    }

    /** {@code * / % + - << >> < <= > >= == != & ^ | && ||} */
    record Binary(String op, Expr left, Expr right) implements Expr {
    }

    record Cond(Expr condition, Expr then, Expr otherwise) implements Expr {
    }

    record Call(String function, List<Expr> args) implements Expr {
    }
}
