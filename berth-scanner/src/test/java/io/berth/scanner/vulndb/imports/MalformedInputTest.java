package io.berth.scanner.vulndb.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.berth.scanner.vulndb.Advisory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile input for the parsers: real records of every format, mutated at random (characters replaced, deleted,
 * duplicated, the text cut short) with a fixed seed. However mangled, a parser counts the record as stored, skipped
 * or rejected and goes on; no exception escapes, and nothing it stores lacks its indexed fields.
 */
class MalformedInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MUTANTS = 2_000;

    private static String resource(String name) throws IOException {
        try (InputStream in = MalformedInputTest.class.getResourceAsStream("/vulndata/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String mutate(String s, Random random) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + random.nextInt(4);
        String junk = "{}[]\":,0123456789.-~<>\n\t xé\u0000";
        for (int e = 0; e < edits && b.length() > 0; e++) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(4)) {
                case 0 -> b.setCharAt(at, junk.charAt(random.nextInt(junk.length())));
                case 1 -> b.deleteCharAt(at);
                case 2 -> b.insert(at, b.charAt(random.nextInt(b.length())));
                default -> b.setLength(at); // truncated
            }
        }
        return b.toString();
    }

    private static void checkStored(List<Advisory> stored) {
        for (Advisory a : stored) {
            assertThat(a.id()).isNotBlank();
            assertThat(a.packageName()).isNotBlank();
            assertThat(a.ecosystem()).isNotBlank();
        }
    }

    @Test
    void osvRecords_mutated() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String f : List.of("osv/go.jsonl", "osv/maven.jsonl", "osv/npm.jsonl", "osv/pypi.jsonl")) {
            lines.addAll(resource(f).lines().toList());
        }
        Random random = new Random(7);
        ImportSummary summary = new ImportSummary("fuzz", "osv");
        List<Advisory> stored = new ArrayList<>();
        for (int i = 0; i < MUTANTS; i++) {
            String mutant = mutate(lines.get(random.nextInt(lines.size())), random);
            summary.record();
            try {
                JsonNode node = JSON.readTree(mutant);
                if (node == null) {
                    continue;
                }
                stored.addAll(OsvRecords.parse(node, "fuzz", summary));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                summary.rejected("malformed JSON");
            } catch (RejectedRecord e) {
                summary.rejected(e.reason());
            }
        }
        checkStored(stored);
        assertThat(summary.records()).isEqualTo(MUTANTS);
        assertThat(summary.rejectedTotal()).isPositive();
    }

    @Test
    void debianList_mutated() throws IOException {
        String text = resource("debian/DSA-list");
        Random random = new Random(11);
        for (int i = 0; i < MUTANTS / 10; i++) {
            int from = random.nextInt(text.length() - 4000);
            String chunk = mutate(text.substring(from, from + 4000), random);
            ImportSummary summary = new ImportSummary("fuzz", "debian-list");
            List<Advisory> stored = new ArrayList<>();
            DebianLists.read(new BufferedReader(new StringReader(chunk)), "fuzz", summary, stored::add);
            checkStored(stored);
            assertThat(summary.records()).isPositive();
        }
    }

    @Test
    void alpineSecdb_mutated() throws IOException {
        String text = resource("alpine/v3.11-main.yaml");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Random random = new Random(13);
        int parsed = 0;
        for (int i = 0; i < MUTANTS / 10; i++) {
            String mutant = mutate(text, random);
            JsonNode root;
            try {
                root = yaml.readTree(mutant);
            } catch (IOException e) {
                continue; // not YAML any more: the importer reports it as an unreadable file
            }
            if (root == null || !AlpineSecdb.looksLike(root)) {
                continue;
            }
            ImportSummary summary = new ImportSummary("fuzz", "alpine-secdb");
            List<Advisory> stored = new ArrayList<>();
            AlpineSecdb.read(root, "fuzz", summary, stored::add);
            checkStored(stored);
            parsed++;
        }
        assertThat(parsed).isPositive();
    }
}
