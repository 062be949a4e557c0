package dev.mmcheck.arch.layout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Evaluates closed layout expressions in Java, with C's unsigned 64-bit semantics. */
final class ConstEval {
    private final Layout layout;
    private final Map<String, Long> cache = new HashMap<>();

    ConstEval(Layout layout) {
        this.layout = layout;
    }

    long value(String name) {
        Long v = cache.get(name);
        if (v != null) return v;
        Expr e = layout.consts().get(name);
        if (e == null) throw new IllegalArgumentException(layout.arch() + ": no constant " + name);
        long r = eval(e, Map.of());
        cache.put(name, r);
        return r;
    }

    long call(String def, long... args) {
        Layout.Def d = layout.defs().get(def);
        if (d == null) throw new IllegalArgumentException(layout.arch() + ": no definition " + def);
        if (d.params().size() != args.length) throw new IllegalArgumentException(layout.arch() + ": " + def + " takes " + d.params().size() + " arguments");
        Map<String, Long> env = new HashMap<>();
        for (int i = 0; i < args.length; i++) env.put(d.params().get(i), args[i]);
        return eval(d.body(), env);
    }

    private long eval(Expr e, Map<String, Long> env) {
        return switch (e) {
            case Expr.Num n -> n.value();
            case Expr.Name n -> env.containsKey(n.name()) ? env.get(n.name()) : value(n.name());
            case Expr.Unary u -> {
                long x = eval(u.operand(), env);
                yield switch (u.op()) {
                    case "~" -> ~x;
                    case "!" -> x == 0 ? 1 : 0;
                    default -> -x;
                };
            }
            case Expr.Binary b -> binary(b.op(), eval(b.left(), env), b.right(), env);
            case Expr.Cond c -> eval(c.condition(), env) != 0 ? eval(c.then(), env) : eval(c.otherwise(), env);
            case Expr.Call c -> call(c, env);
        };
    }

    private long binary(String op, long l, Expr rightExpr, Map<String, Long> env) {
        if (op.equals("&&")) return l != 0 && eval(rightExpr, env) != 0 ? 1 : 0;
        if (op.equals("||")) return l != 0 || eval(rightExpr, env) != 0 ? 1 : 0;
        long r = eval(rightExpr, env);
        return switch (op) {
            case "*" -> l * r;
            case "/" -> Long.divideUnsigned(l, r);
            case "%" -> Long.remainderUnsigned(l, r);
            case "+" -> l + r;
            case "-" -> l - r;
            case "<<" -> r >= 64 ? 0 : l << r;
            case ">>" -> r >= 64 ? 0 : l >>> r;
            case "<" -> Long.compareUnsigned(l, r) < 0 ? 1 : 0;
            case "<=" -> Long.compareUnsigned(l, r) <= 0 ? 1 : 0;
            case ">" -> Long.compareUnsigned(l, r) > 0 ? 1 : 0;
            case ">=" -> Long.compareUnsigned(l, r) >= 0 ? 1 : 0;
            case "==" -> l == r ? 1 : 0;
            case "!=" -> l != r ? 1 : 0;
            case "&" -> l & r;
            case "^" -> l ^ r;
            case "|" -> l | r;
            default -> throw new IllegalArgumentException("operator " + op);
        };
    }

    private long call(Expr.Call c, Map<String, Long> env) {
        List<Expr> args = c.args();
        switch (c.function()) {
            case "BIT" -> {
                return 1L << eval(args.get(0), env);
            }
            case "GENMASK", "GENMASK_ULL" -> {
                long h = eval(args.get(0), env);
                long l = eval(args.get(1), env);
                return (h >= 63 ? -1L : (1L << (h + 1)) - 1) & ~((1L << l) - 1);
            }
            default -> {
                Layout.Def d = layout.defs().get(c.function());
                if (d == null) throw new IllegalArgumentException(layout.arch() + ": no definition " + c.function());
                Map<String, Long> inner = new HashMap<>();
                for (int i = 0; i < d.params().size(); i++) inner.put(d.params().get(i), eval(args.get(i), env));
                return eval(d.body(), inner);
            }
        }
    }
}
