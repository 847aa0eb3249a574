package io.berth.core.policy;

/** Helpers that keep policy JSON readable in tests: single quotes stand for double quotes. */
final class PolicyTexts {
    static final String REPO_PREFIX =
            "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided': ";

    private PolicyTexts() {}

    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** A 2012-10-17 document with one statement whose body is {@code statementBody} (single-quoted JSON). */
    static String doc(String statementBody) {
        return json("{'Version':'2012-10-17','Statement':[{" + statementBody + "}]}");
    }

    /** A repository statement allowing pull to everyone, plus {@code extra} (single-quoted JSON members). */
    static String pullStatement(String extra) {
        return "'Sid':'S','Effect':'Allow','Principal':'*','Action':'ecr:BatchGetImage'" + extra;
    }
}
