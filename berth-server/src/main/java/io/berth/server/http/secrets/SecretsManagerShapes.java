package io.berth.server.http.secrets;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.core.secrets.Secrets;
import io.berth.core.secrets.SecretView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request and response shapes of the Secrets Manager operations Berth serves, with the service's member names
 * (capitalised: the mapper's naming strategy, and {@code ARN} spelled out). Timestamps are epoch seconds, as the
 * JSON 1.1 protocol sends them.
 */
final class SecretsManagerShapes {
    private SecretsManagerShapes() {}

    record Tag(String key, String value) {}

    record Filter(String key, List<String> values) {}

    record CreateRequest(String name, String clientRequestToken, String description, String kmsKeyId,
                         byte[] secretBinary, String secretString, List<Tag> tags, List<Object> addReplicaRegions,
                         Boolean forceOverwriteReplicaSecret) {}

    record CreateResponse(@JsonProperty("ARN") String arn, String name, String versionId) {}

    record PutRequest(String secretId, String clientRequestToken, byte[] secretBinary, String secretString,
                      List<String> versionStages) {}

    record PutResponse(@JsonProperty("ARN") String arn, String name, String versionId, List<String> versionStages) {}

    record SecretIdRequest(String secretId) {}

    record GetValueRequest(String secretId, String versionId, String versionStage) {}

    record GetValueResponse(@JsonProperty("ARN") String arn, String name, String versionId, byte[] secretBinary,
                            String secretString, List<String> versionStages, BigDecimal createdDate) {}

    record DeleteRequest(String secretId, Integer recoveryWindowInDays, Boolean forceDeleteWithoutRecovery) {}

    record DeleteResponse(@JsonProperty("ARN") String arn, String name, BigDecimal deletionDate) {}

    record RestoreResponse(@JsonProperty("ARN") String arn, String name) {}

    record ListRequest(Integer maxResults, String nextToken, List<Filter> filters, Boolean includePlannedDeletion,
                       String sortOrder) {}

    /** DescribeSecret's answer, and one entry of ListSecrets' (which names the versions map differently). */
    record Described(@JsonProperty("ARN") String arn, String name, String description, String kmsKeyId,
                     Boolean rotationEnabled, BigDecimal lastChangedDate, BigDecimal lastAccessedDate,
                     BigDecimal deletedDate, List<Tag> tags, Map<String, List<String>> versionIdsToStages,
                     Map<String, List<String>> secretVersionsToStages, BigDecimal createdDate,
                     String primaryRegion) {}

    record ListResponse(List<Described> secretList, String nextToken) {}

    static Described described(Secrets.Described d, List<Tag> tags, String region, boolean listed) {
        SecretView s = d.secret();
        Map<String, List<String>> stages = new LinkedHashMap<>();
        d.versions().forEach(v -> stages.put(v.versionId(), v.stage() == null ? List.of() : List.of(v.stage())));
        Map<String, List<String>> versions = stages.isEmpty() ? null : stages;
        return new Described(s.arn(), s.name(), s.description(), s.kmsKeyId(), false, epoch(s.lastChangedAt()),
                epoch(s.lastAccessedAt()), epoch(s.deletedAt()), tags, listed ? null : versions,
                listed ? versions : null, epoch(s.createdAt()), region);
    }

    static BigDecimal epoch(Instant t) {
        return t == null ? null : BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
    }
}
