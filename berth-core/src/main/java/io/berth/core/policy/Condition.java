package io.berth.core.policy;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

/**
 * One compiled (operator, key, values) test of a Condition block. Values are compiled by family: {@link Template}
 * (String), {@link ArnPattern} (Arn), {@link BigDecimal} (Numeric), {@link Instant} (Date), {@link Boolean} (Bool,
 * Null) and {@link Cidr} (IP). Semantics, from the IAM "Condition operators" and "Multivalued context keys" pages:
 * <ul>
 *   <li>several values of one key are ORed; a negated operator is true when the request value matches none;</li>
 *   <li>an absent key makes the test false, except for negated operators (true), {@code ...IfExists} (true),
 *       {@code ForAllValues:} (true: the empty set satisfies "all") and {@code Null};</li>
 *   <li>{@code ForAllValues:} is true when every request value passes, {@code ForAnyValue:} when at least one does;
 *       without a qualifier a multivalued key is treated as ForAnyValue for positive operators and as "no value
 *       matches" for negated ones (Berth's reading; AWS recommends always writing the qualifier).</li>
 * </ul>
 */
record Condition(ConditionOperator op, Qualifier qualifier, boolean ifExists, ContextKey key, List<Object> values) {

    enum Qualifier { NONE, FOR_ALL_VALUES, FOR_ANY_VALUE }

    boolean test(RequestContext ctx) {
        if (op == ConditionOperator.NULL) {
            boolean absent = !key.present(ctx);
            for (int i = 0; i < values.size(); i++) {
                if ((Boolean) values.get(i) == absent) {
                    return true;
                }
            }
            return false;
        }
        if (!key.present(ctx)) {
            if (ifExists || qualifier == Qualifier.FOR_ALL_VALUES) {
                return true;
            }
            return qualifier != Qualifier.FOR_ANY_VALUE && op.negated;
        }
        if (key.multiValued()) {
            boolean any = false;
            boolean all = true;
            for (String v : ctx.requestTags().keySet()) {
                boolean t = testString(ctx, v);
                any |= t;
                all &= t;
            }
            return switch (qualifier) {
                case FOR_ALL_VALUES -> all;
                case FOR_ANY_VALUE -> any;
                case NONE -> op.negated ? all : any;
            };
        }
        // A single-valued key is a set of one, so both qualifiers reduce to the plain test.
        return switch (op.family) {
            case STRING, ARN -> testString(ctx, key.stringValue(ctx));
            case NUMERIC -> applyNegation(anyNumeric(BigDecimal.valueOf(ctx.currentTime().getEpochSecond())));
            case DATE -> applyNegation(anyDate(ctx.currentTime()));
            case BOOL -> anyBool(ctx.secureTransport());
            case IP -> applyNegation(anyIp(ctx.sourceIp()));
            case NULL -> false; // handled above
        };
    }

    private boolean testString(RequestContext ctx, String v) {
        if (v == null) {
            return ifExists || op.negated;
        }
        boolean match = false;
        for (int i = 0; i < values.size() && !match; i++) {
            Object value = values.get(i);
            match = value instanceof ArnPattern arn
                    ? arn.matches(ctx, v)
                    : ((Template) value).matches(ctx, v, 0, v.length());
        }
        return applyNegation(match);
    }

    private boolean applyNegation(boolean anyMatch) {
        return op.negated != anyMatch;
    }

    private boolean anyNumeric(BigDecimal request) {
        for (int i = 0; i < values.size(); i++) {
            if (op.compares(request.compareTo((BigDecimal) values.get(i)))) {
                return true;
            }
        }
        return false;
    }

    private boolean anyDate(Instant request) {
        for (int i = 0; i < values.size(); i++) {
            if (op.compares(request.compareTo((Instant) values.get(i)))) {
                return true;
            }
        }
        return false;
    }

    private boolean anyBool(boolean request) {
        for (int i = 0; i < values.size(); i++) {
            if ((Boolean) values.get(i) == request) {
                return true;
            }
        }
        return false;
    }

    private boolean anyIp(InetAddress request) {
        for (int i = 0; i < values.size(); i++) {
            if (((Cidr) values.get(i)).contains(request)) {
                return true;
            }
        }
        return false;
    }
}
