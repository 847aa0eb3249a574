package io.berth.server.http.ecr;

import io.berth.core.service.CreationTemplate;
import io.berth.core.service.CreationTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * CreateRepositoryCreationTemplate, DescribeRepositoryCreationTemplates, UpdateRepositoryCreationTemplate and
 * DeleteRepositoryCreationTemplate: the settings repositories created on a caller's behalf start with (see
 * {@link io.berth.core.service.TemplatedCreation}). They act on the caller's registry (no {@code registryId}).
 */
final class TemplateActions {
    private TemplateActions() {}

    record TemplateRequest(String prefix, String description, Shapes.EncryptionConfiguration encryptionConfiguration,
                           List<Shapes.Tag> resourceTags, String imageTagMutability,
                           List<Shapes.ImageTagMutabilityExclusionFilter> imageTagMutabilityExclusionFilters,
                           String repositoryPolicy, String lifecyclePolicy, List<String> appliedFor,
                           String customRoleArn) {
        TemplateInput.Fields fields() {
            return new TemplateInput.Fields(prefix, description, encryptionConfiguration, resourceTags,
                    imageTagMutability, imageTagMutabilityExclusionFilters, repositoryPolicy, lifecyclePolicy,
                    appliedFor, customRoleArn);
        }
    }

    record DeleteTemplateRequest(String prefix) {}

    record DescribeTemplatesRequest(List<String> prefixes, String nextToken, Integer maxResults) {}

    /** Create, Update and Delete answer with the template (as created, updated or deleted). */
    record TemplateResponse(String registryId, TemplateInput.RepositoryCreationTemplate repositoryCreationTemplate) {}

    record DescribeTemplatesResponse(String registryId,
                                     List<TemplateInput.RepositoryCreationTemplate> repositoryCreationTemplates,
                                     String nextToken) {}

    static final class Create implements EcrAction<TemplateRequest, TemplateResponse> {
        @Override public Class<TemplateRequest> requestType() { return TemplateRequest.class; }

        @Override
        public TemplateResponse handle(EcrCall call, TemplateRequest q) {
            CreationTemplate t = TemplateInput.template(q.fields(), null, call.registryId, call.clock().instant());
            return response(call, call.templates().create(t));
        }
    }

    static final class Update implements EcrAction<TemplateRequest, TemplateResponse> {
        @Override public Class<TemplateRequest> requestType() { return TemplateRequest.class; }

        @Override
        public TemplateResponse handle(EcrCall call, TemplateRequest q) {
            CreationTemplates templates = call.templates();
            CreationTemplate current = templates.require(TemplateInput.prefix(q.prefix()));
            CreationTemplate t = TemplateInput.template(q.fields(), current, call.registryId, call.clock().instant());
            return response(call, templates.update(t));
        }
    }

    static final class Delete implements EcrAction<DeleteTemplateRequest, TemplateResponse> {
        @Override public Class<DeleteTemplateRequest> requestType() { return DeleteTemplateRequest.class; }

        @Override
        public TemplateResponse handle(EcrCall call, DeleteTemplateRequest q) {
            return response(call, call.templates().delete(TemplateInput.prefix(q.prefix())));
        }
    }

    /**
     * All templates in prefix order, or those of {@code prefixes} that exist (a prefix without a template is left
     * out, not an error); both paginated by prefix.
     */
    static final class Describe implements EcrAction<DescribeTemplatesRequest, DescribeTemplatesResponse> {
        static final String TOKEN_KIND = "template";

        @Override public Class<DescribeTemplatesRequest> requestType() { return DescribeTemplatesRequest.class; }

        @Override
        public DescribeTemplatesResponse handle(EcrCall call, DescribeTemplatesRequest q) {
            int limit = ModelConstraints.maxResults(q.maxResults(), 1000);
            String after = NextToken.decode(TOKEN_KIND, q.nextToken());
            CreationTemplates templates = call.templates();
            List<CreationTemplate> page;
            if (q.prefixes() != null) {
                ModelConstraints.size("prefixes", q.prefixes(), 1, 100);
                TreeSet<String> wanted = new TreeSet<>();
                q.prefixes().forEach(p -> wanted.add(TemplateInput.prefix(p)));
                page = new ArrayList<>();
                for (String p : after == null ? wanted : wanted.tailSet(after, false)) {
                    templates.find(p).ifPresent(page::add);
                    if (page.size() > limit) {
                        break;
                    }
                }
            } else {
                page = new ArrayList<>(templates.list(after, limit + 1));
            }
            String next = null;
            if (page.size() > limit) {
                page = page.subList(0, limit);
                next = NextToken.encode(TOKEN_KIND, page.get(limit - 1).prefix());
            }
            return new DescribeTemplatesResponse(call.registryId.value(),
                    page.stream().map(TemplateInput.RepositoryCreationTemplate::of).toList(), next);
        }
    }

    private static TemplateResponse response(EcrCall call, CreationTemplate t) {
        return new TemplateResponse(call.registryId.value(), TemplateInput.RepositoryCreationTemplate.of(t));
    }
}
