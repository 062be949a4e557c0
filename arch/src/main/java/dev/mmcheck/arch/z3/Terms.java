package dev.mmcheck.arch.z3;

import com.microsoft.z3.BitVecExpr;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import dev.mmcheck.arch.layout.Expr;
import dev.mmcheck.arch.layout.Layout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A layout's constants and definitions as Z3 bit-vector terms over 64-bit values: each definition is
 * written once in the layout and instantiated here by substitution (C macros are, too).
 */
public final class Terms {
    static final int W = 64;

    private final Context ctx;
    private final Layout layout;
    private final Map<String, BitVecExpr> consts = new HashMap<>();
    private int depth;

    public Terms(Context ctx, Layout layout) {
        this.ctx = ctx;
        this.layout = layout;
    }

    public Layout layout() {
        return layout;
    }

    public BitVecExpr num(long v) {
        return ctx.mkBV(Long.toUnsignedString(v), W);
    }

    public BitVecExpr var(String name) {
        return ctx.mkBVConst(name, W);
    }

    public boolean has(String name) {
        return layout.consts().containsKey(name) || layout.defs().containsKey(name);
    }

    public BitVecExpr constant(String name) {
        BitVecExpr c = consts.get(name);
        if (c == null) {
            Expr e = layout.consts().get(name);
            if (e == null) throw new IllegalArgumentException(layout.arch() + ": no constant " + name);
            c = (BitVecExpr) toBv(eval(e, Map.of())).simplify();
            consts.put(name, c);
        }
        return c;
    }

    /** A definition applied to arguments, as a 64-bit value. */
    public BitVecExpr call(String fn, BitVecExpr... args) {
        return toBv(apply(fn, List.of(args)));
    }

    /** A definition applied to arguments, read as a C condition (non-zero). */
    public BoolExpr test(String fn, BitVecExpr... args) {
        return toBool(apply(fn, List.of(args)));
    }

    private com.microsoft.z3.Expr<?> apply(String fn, List<BitVecExpr> args) {
        Layout.Def d = layout.defs().get(fn);
        if (d == null) throw new IllegalArgumentException(layout.arch() + ": layout defines no " + fn + "()");
        if (d.params().size() != args.size()) {
            throw new IllegalArgumentException(layout.arch() + ": " + fn + " takes " + d.params().size() + " arguments");
        }
        if (++depth > 64) throw new IllegalArgumentException(layout.arch() + ": definitions nest too deep at " + fn);
        try {
            Map<String, BitVecExpr> env = new HashMap<>();
            for (int i = 0; i < args.size(); i++) env.put(d.params().get(i), args.get(i));
            return eval(d.body(), env);
        } finally {
            depth--;
        }
    }

    private com.microsoft.z3.Expr<?> eval(Expr e, Map<String, BitVecExpr> env) {
        return switch (e) {
            case Expr.Num n -> num(n.value());
            case Expr.Name n -> env.containsKey(n.name()) ? env.get(n.name()) : constant(n.name());
            case Expr.Unary u -> switch (u.op()) {
                case "~" -> ctx.mkBVNot(toBv(eval(u.operand(), env)));
                case "!" -> ctx.mkNot(toBool(eval(u.operand(), env)));
                default -> ctx.mkBVNeg(toBv(eval(u.operand(), env)));
            };
            case Expr.Binary b -> binary(b.op(), eval(b.left(), env), eval(b.right(), env));
            case Expr.Cond c -> ctx.mkITE(toBool(eval(c.condition(), env)), toBv(eval(c.then(), env)), toBv(eval(c.otherwise(), env)));
            case Expr.Call c -> switch (c.function()) {
                case "BIT" -> ctx.mkBVSHL(num(1), toBv(eval(c.args().get(0), env)));
                case "GENMASK", "GENMASK_ULL" -> {
                    BitVecExpr h = toBv(eval(c.args().get(0), env));
                    BitVecExpr l = toBv(eval(c.args().get(1), env));
                    yield ctx.mkBVAND(ctx.mkBVLSHR(num(-1L), ctx.mkBVSub(num(63), h)), ctx.mkBVSHL(num(-1L), l));
                }
                default -> apply(c.function(), c.args().stream().map(a -> toBv(eval(a, env))).toList());
            };
        };
    }

    private com.microsoft.z3.Expr<?> binary(String op, com.microsoft.z3.Expr<?> l, com.microsoft.z3.Expr<?> r) {
        return switch (op) {
            case "&&" -> ctx.mkAnd(toBool(l), toBool(r));
            case "||" -> ctx.mkOr(toBool(l), toBool(r));
            case "==" -> ctx.mkEq(toBv(l), toBv(r));
            case "!=" -> ctx.mkNot(ctx.mkEq(toBv(l), toBv(r)));
            case "<" -> ctx.mkBVULT(toBv(l), toBv(r));
            case "<=" -> ctx.mkBVULE(toBv(l), toBv(r));
            case ">" -> ctx.mkBVUGT(toBv(l), toBv(r));
            case ">=" -> ctx.mkBVUGE(toBv(l), toBv(r));
            case "*" -> ctx.mkBVMul(toBv(l), toBv(r));
            case "/" -> ctx.mkBVUDiv(toBv(l), toBv(r));
            case "%" -> ctx.mkBVURem(toBv(l), toBv(r));
            case "+" -> ctx.mkBVAdd(toBv(l), toBv(r));
            case "-" -> ctx.mkBVSub(toBv(l), toBv(r));
            case "<<" -> ctx.mkBVSHL(toBv(l), toBv(r));
            case ">>" -> ctx.mkBVLSHR(toBv(l), toBv(r));
            case "&" -> ctx.mkBVAND(toBv(l), toBv(r));
            case "^" -> ctx.mkBVXOR(toBv(l), toBv(r));
            case "|" -> ctx.mkBVOR(toBv(l), toBv(r));
            default -> throw new IllegalArgumentException("operator " + op);
        };
    }

    BitVecExpr toBv(com.microsoft.z3.Expr<?> x) {
        if (x instanceof BoolExpr b) return (BitVecExpr) ctx.mkITE(b, num(1), num(0));
        return (BitVecExpr) x;
    }

    BoolExpr toBool(com.microsoft.z3.Expr<?> x) {
        if (x instanceof BoolExpr b) return b;
        return ctx.mkNot(ctx.mkEq((BitVecExpr) x, num(0)));
    }
}
