package io.berth.core.policy;

import java.util.Locale;

/**
 * The condition operators Berth evaluates (IAM "Condition operators" page): the String, Arn, Numeric, Date, Bool,
 * IP address and Null families. {@code BinaryEquals} is not supported (no Berth key is binary) and is refused like
 * any unknown operator. Negated operators are true when the request value matches none of the policy values.
 */
enum ConditionOperator {
    STRING_EQUALS("StringEquals", Family.STRING, false),
    STRING_NOT_EQUALS("StringNotEquals", Family.STRING, true),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Family.STRING, false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Family.STRING, true),
    STRING_LIKE("StringLike", Family.STRING, false),
    STRING_NOT_LIKE("StringNotLike", Family.STRING, true),
    ARN_EQUALS("ArnEquals", Family.ARN, false),
    ARN_LIKE("ArnLike", Family.ARN, false),
    ARN_NOT_EQUALS("ArnNotEquals", Family.ARN, true),
    ARN_NOT_LIKE("ArnNotLike", Family.ARN, true),
    NUMERIC_EQUALS("NumericEquals", Family.NUMERIC, false),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Family.NUMERIC, true),
    NUMERIC_LESS_THAN("NumericLessThan", Family.NUMERIC, false),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Family.NUMERIC, false),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Family.NUMERIC, false),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Family.NUMERIC, false),
    DATE_EQUALS("DateEquals", Family.DATE, false),
    DATE_NOT_EQUALS("DateNotEquals", Family.DATE, true),
    DATE_LESS_THAN("DateLessThan", Family.DATE, false),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Family.DATE, false),
    DATE_GREATER_THAN("DateGreaterThan", Family.DATE, false),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Family.DATE, false),
    BOOL("Bool", Family.BOOL, false),
    IP_ADDRESS("IpAddress", Family.IP, false),
    NOT_IP_ADDRESS("NotIpAddress", Family.IP, true),
    NULL("Null", Family.NULL, false);

    enum Family { STRING, ARN, NUMERIC, DATE, BOOL, IP, NULL }

    final String awsName;
    final Family family;
    final boolean negated;

    ConditionOperator(String awsName, Family family, boolean negated) {
        this.awsName = awsName;
        this.family = family;
        this.negated = negated;
    }

    /**
     * Looks the base name up ignoring case. AWS documents the names in CamelCase; Berth accepts any case because
     * the name is unambiguous either way, and refusing {@code stringequals} would help nobody.
     */
    static ConditionOperator byName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (ConditionOperator op : values()) {
            if (op.awsName.toLowerCase(Locale.ROOT).equals(lower)) {
                return op;
            }
        }
        return null;
    }

    boolean wildcards() {
        return this == STRING_LIKE || this == STRING_NOT_LIKE;
    }

    boolean ignoreCase() {
        return this == STRING_EQUALS_IGNORE_CASE || this == STRING_NOT_EQUALS_IGNORE_CASE;
    }

    /** Whether this operator can test a key of the given type; mismatches are refused at parse time. */
    boolean accepts(ContextKey.Type type) {
        return switch (family) {
            case STRING -> type == ContextKey.Type.STRING || type == ContextKey.Type.ARN;
            case ARN -> type == ContextKey.Type.ARN;
            case NUMERIC -> type == ContextKey.Type.EPOCH;
            case DATE -> type == ContextKey.Type.DATE || type == ContextKey.Type.EPOCH;
            case BOOL -> type == ContextKey.Type.BOOL;
            case IP -> type == ContextKey.Type.IP;
            case NULL -> true;
        };
    }

    /** For ordered families: whether {@code cmp = request.compareTo(policyValue)} satisfies the operator. */
    boolean compares(int cmp) {
        return switch (this) {
            case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS, DATE_EQUALS, DATE_NOT_EQUALS -> cmp == 0;
            case NUMERIC_LESS_THAN, DATE_LESS_THAN -> cmp < 0;
            case NUMERIC_LESS_THAN_EQUALS, DATE_LESS_THAN_EQUALS -> cmp <= 0;
            case NUMERIC_GREATER_THAN, DATE_GREATER_THAN -> cmp > 0;
            case NUMERIC_GREATER_THAN_EQUALS, DATE_GREATER_THAN_EQUALS -> cmp >= 0;
            default -> false;
        };
    }
}
