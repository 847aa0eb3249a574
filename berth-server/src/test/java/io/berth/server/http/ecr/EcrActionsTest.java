package io.berth.server.http.ecr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrRequest;

/** The operation table against the AWS SDK's model of ECR and against what the README promises. */
class EcrActionsTest {
    private static final Pattern README_LIST = Pattern.compile(
            "The ECR operations Berth answers: (.+?), with ECR's shapes", Pattern.DOTALL);

    @Test
    void everyAction_isAnOperationOfTheSdksEcrClient() {
        Set<String> sdkOperations = Arrays.stream(EcrClient.class.getMethods())
                .filter(m -> m.getParameterCount() == 1 && EcrRequest.class.isAssignableFrom(m.getParameterTypes()[0]))
                .map(Method::getParameterTypes).map(t -> t[0].getSimpleName().replaceFirst("Request$", ""))
                .collect(Collectors.toSet());
        assertThat(sdkOperations).as("operations of the SDK's EcrClient").contains("CreateRepository");
        assertThat(EcrActions.all().keySet()).isNotEmpty().allSatisfy(name -> assertThat(sdkOperations)
                .as("ECR operation %s in the SDK model", name).contains(name));
    }

    @Test
    void readme_listsExactlyTheAnsweredOperations() throws IOException {
        Matcher m = README_LIST.matcher(Files.readString(readme()));
        assertThat(m.find()).as("README sentence \"The ECR operations Berth answers: ...\"").isTrue();
        Set<String> listed = Arrays.stream(m.group(1).split(",|\\band\\b"))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).hasSameSizeAs(EcrActions.all().keySet())
                .containsExactlyInAnyOrderElementsOf(EcrActions.all().keySet());
    }

    private static Path readme() {
        Path here = Path.of("README.md").toAbsolutePath();
        return Files.exists(here) ? here : here.getParent().getParent().resolve("README.md");
    }
}
