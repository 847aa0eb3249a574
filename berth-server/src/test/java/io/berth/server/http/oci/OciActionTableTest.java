package io.berth.server.http.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The /v2/ → ECR action mapping (ECR's own proxy mapping, see PolicyEvaluator's javadoc), pinned row by row. */
class OciActionTableTest {

    @Test
    void actionTable_everyRepositoryRoute_mapsToItsEcrAction() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("GET /v2/<name>/blobs/<digest>", "ecr:GetDownloadUrlForLayer");
        expected.put("HEAD /v2/<name>/blobs/<digest>", "ecr:BatchCheckLayerAvailability");
        expected.put("DELETE /v2/<name>/blobs/<digest>", "ecr:BatchDeleteImage");
        expected.put("POST /v2/<name>/blobs/uploads/", "ecr:InitiateLayerUpload");
        expected.put("GET /v2/<name>/blobs/uploads/<id>", "ecr:UploadLayerPart");
        expected.put("PATCH /v2/<name>/blobs/uploads/<id>", "ecr:UploadLayerPart");
        expected.put("PUT /v2/<name>/blobs/uploads/<id>", "ecr:CompleteLayerUpload");
        expected.put("DELETE /v2/<name>/blobs/uploads/<id>", "ecr:UploadLayerPart");
        expected.put("GET /v2/<name>/manifests/<reference>", "ecr:BatchGetImage");
        expected.put("HEAD /v2/<name>/manifests/<reference>", "ecr:BatchGetImage");
        expected.put("PUT /v2/<name>/manifests/<reference>", "ecr:PutImage");
        expected.put("DELETE /v2/<name>/manifests/<reference>", "ecr:BatchDeleteImage");
        expected.put("GET /v2/<name>/tags/list", "ecr:ListImages");
        expected.put("GET /v2/<name>/referrers/<digest>", "ecr:BatchGetImage");
        Map<String, String> actual = new OciHandler(id -> null, null).actionTable();
        assertThat(actual).as("route → action table").containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void actionTable_baseAndCatalog_decidedByTheirEndpoints() {
        OciHandler h = new OciHandler(id -> null, null);
        assertThat(h.describeRoutes()).as("routes").contains("GET /v2/", "GET /v2/_catalog");
        assertThat(h.actionTable()).as("no fixed action for the base check and the filtered catalog")
                .doesNotContainKeys("GET /v2/", "HEAD /v2/", "GET /v2/_catalog");
    }
}
