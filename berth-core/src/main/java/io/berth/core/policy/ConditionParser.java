package io.berth.core.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Parses and compiles one statement's {@code Condition} block; every refusal names the statement. */
final class ConditionParser {
    private static final String IF_EXISTS = "ifexists";
    private static final Pattern EPOCH = Pattern.compile("-?[0-9]{1,12}");

    private final Refusals refusals;
    private final boolean variables;

    ConditionParser(Refusals refusals, boolean variables) {
        this.refusals = refusals;
        this.variables = variables;
    }

    List<Condition> parse(JsonNode block, String where) {
        if (!block.isObject() || block.isEmpty()) {
            throw refusals.refuse("Condition in " + where + " must be a non-empty object");
        }
        List<Condition> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String opText = e.getKey();
            JsonNode keys = e.getValue();
            if (!keys.isObject() || keys.isEmpty()) {
                throw refusals.refuse("condition operator '" + opText + "' in " + where
                        + " must map to a non-empty object of condition keys");
            }
            for (Iterator<Map.Entry<String, JsonNode>> k = keys.fields(); k.hasNext(); ) {
                Map.Entry<String, JsonNode> ke = k.next();
                out.add(compile(opText, ke.getKey(), ke.getValue(), where));
            }
        }
        return List.copyOf(out);
    }

    private Condition compile(String opText, String keyText, JsonNode valueNode, String where) {
        String base = opText;
        Condition.Qualifier qualifier = Condition.Qualifier.NONE;
        int colon = opText.indexOf(':');
        if (colon >= 0) {
            String prefix = opText.substring(0, colon).toLowerCase(Locale.ROOT);
            if (prefix.equals("forallvalues")) {
                qualifier = Condition.Qualifier.FOR_ALL_VALUES;
            } else if (prefix.equals("foranyvalue")) {
                qualifier = Condition.Qualifier.FOR_ANY_VALUE;
            } else {
                throw unknownOperator(opText, where);
            }
            base = opText.substring(colon + 1);
        }
        boolean ifExists = false;
        String lower = base.toLowerCase(Locale.ROOT);
        if (lower.endsWith(IF_EXISTS) && lower.length() > IF_EXISTS.length()) {
            ifExists = true;
            base = base.substring(0, base.length() - IF_EXISTS.length());
        }
        ConditionOperator op = ConditionOperator.byName(base);
        if (op == null) {
            throw unknownOperator(opText, where);
        }
        if (op == ConditionOperator.NULL && (ifExists || qualifier != Condition.Qualifier.NONE)) {
            // "Null" tests existence itself; IAM documents no IfExists or set form of it.
            throw unknownOperator(opText, where);
        }
        ContextKey key = ContextKey.parse(keyText);
        if (key == null) {
            throw refusals.refuse("unknown condition key '" + keyText + "' in " + where);
        }
        if (!op.accepts(key.type())) {
            throw refusals.refuse("condition operator '" + opText + "' cannot test key '" + keyText + "' in "
                    + where);
        }
        List<JsonNode> raw = new ArrayList<>();
        if (valueNode.isArray()) {
            if (valueNode.isEmpty()) {
                throw refusals.refuse("condition key '" + keyText + "' in " + where + " has an empty value list");
            }
            valueNode.forEach(raw::add);
        } else {
            raw.add(valueNode);
        }
        List<Object> values = new ArrayList<>(raw.size());
        for (JsonNode v : raw) {
            if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
                throw refusals.refuse("condition key '" + keyText + "' in " + where
                        + " has a value that is not a string, number or boolean");
            }
            values.add(value(op, v, opText, keyText, where));
        }
        return new Condition(op, qualifier, ifExists, key, List.copyOf(values));
    }

    private Object value(ConditionOperator op, JsonNode v, String opText, String keyText, String where) {
        String text = v.asText();
        String context = "'" + text + "' for key '" + keyText + "' in " + where;
        return switch (op.family) {
            case STRING -> Template.compile(text, variables, op.wildcards(), op.ignoreCase(), refusals, where);
            case ARN -> ArnPattern.compile(text, variables, refusals, "condition key '" + keyText + "' in " + where);
            case NUMERIC -> numeric(v, text, context, opText);
            case DATE -> date(v, text, context, opText);
            case BOOL, NULL -> bool(v, text, context, opText);
            case IP -> {
                Cidr c = Cidr.parse(text);
                if (c == null) {
                    throw refusals.refuse("'" + opText + "' needs an IPv4 or IPv6 address or CIDR block, not "
                            + context);
                }
                yield c;
            }
        };
    }

    private BigDecimal numeric(JsonNode v, String text, String context, String opText) {
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual() && text.length() <= 64) {
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                // fall through to the refusal, which quotes the text
            }
        }
        throw refusals.refuse("'" + opText + "' needs a number, not " + context);
    }

    /** ISO 8601 (instant, offset date-time, UTC local date-time or date) or epoch seconds (IAM Date operators). */
    private Instant date(JsonNode v, String text, String context, String opText) {
        try {
            if (v.isIntegralNumber() && v.canConvertToLong()) {
                return Instant.ofEpochSecond(v.longValue());
            }
            if (v.isTextual()) {
                if (EPOCH.matcher(text).matches()) {
                    return Instant.ofEpochSecond(Long.parseLong(text));
                }
                if (text.length() <= 64) {
                    return parseIso(text);
                }
            }
        } catch (DateTimeException e) {
            // fall through to the refusal, which quotes the text
        }
        throw refusals.refuse("'" + opText + "' needs an ISO 8601 date or epoch seconds, not " + context);
    }

    private static Instant parseIso(String text) {
        if (text.isEmpty()) { // found by Jazzer: an empty date string reached charAt(-1)
            throw new DateTimeException("empty date");
        }
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        char last = text.charAt(text.length() - 1);
        boolean zoned = last == 'Z' || last == 'z' || text.lastIndexOf('+') > 9 || text.lastIndexOf('-') > 9;
        return zoned ? OffsetDateTime.parse(text).toInstant() : LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    }

    private Boolean bool(JsonNode v, String text, String context, String opText) {
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return Boolean.valueOf(text.equalsIgnoreCase("true"));
        }
        throw refusals.refuse("'" + opText + "' needs true or false, not " + context);
    }

    private RuntimeException unknownOperator(String opText, String where) {
        return refusals.refuse("unknown condition operator '" + opText + "' in " + where);
    }
}
