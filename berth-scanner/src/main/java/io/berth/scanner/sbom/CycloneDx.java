package io.berth.scanner.sbom;

import io.berth.core.model.Descriptor;
import io.berth.scanner.model.Distribution;
import io.berth.scanner.model.InstalledPackage;
import io.berth.scanner.model.Inventory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * An inventory as a CycloneDX 1.5 JSON document: the image is {@code metadata.component} (a container, named by
 * its digest), the distribution an operating-system component, every package a library with its purl and the file
 * it was found in ({@code berth:path}); OS packages also say their source package. The serial number derives from
 * the image digest and the time, so the same scan serialises to the same bytes.
 */
public final class CycloneDx {
    public static final String MEDIA_TYPE = "application/vnd.cyclonedx+json";
    /** The property naming a package's {@code Ecosystem}: an SBOM whose packages all say it can be read back. */
    static final String ECOSYSTEM = "berth:ecosystem";
    /** The tool component naming Berth as the SBOM's author. */
    static final String TOOL = "berth-scanner";

    private CycloneDx() {}

    public static byte[] write(Inventory inventory, Descriptor image, Instant created) {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes((image.digest() + "\n" + created)
                .getBytes(StandardCharsets.UTF_8)));
        bom.setVersion(1);
        Metadata metadata = new Metadata();
        metadata.setTimestamp(Date.from(created));
        Component tool = new Component();
        tool.setType(Component.Type.APPLICATION);
        tool.setName(TOOL);
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        metadata.setToolChoice(tools);
        Component subject = new Component();
        subject.setType(Component.Type.CONTAINER);
        subject.setName(image.digest().toString());
        subject.setBomRef(image.digest().toString());
        metadata.setComponent(subject);
        bom.setMetadata(metadata);

        List<Component> components = new ArrayList<>();
        Distribution d = inventory.distribution();
        if (d != null && d.id() != null) {
            Component os = new Component();
            os.setType(Component.Type.OPERATING_SYSTEM);
            os.setName(d.id());
            os.setVersion(d.versionId());
            os.setBomRef("os:" + d.id() + (d.versionId() == null ? "" : "@" + d.versionId()));
            // what matching needs beyond ID and VERSION_ID, so a rescan can match this SBOM without the layers
            List<Property> props = new ArrayList<>();
            addIfPresent(props, "berth:codename", d.codename());
            addIfPresent(props, "berth:idLike", d.idLike());
            addIfPresent(props, "berth:osVersion", d.version());
            addIfPresent(props, "berth:prettyName", d.prettyName());
            if (!props.isEmpty()) {
                os.setProperties(props);
            }
            components.add(os);
        }
        Map<String, Integer> refs = new HashMap<>();
        for (InstalledPackage p : inventory.packages()) {
            components.add(component(p, d, refs));
        }
        bom.setComponents(components);
        try {
            return BomGeneratorFactory.createJson(Version.VERSION_15, bom).toJsonString()
                    .getBytes(StandardCharsets.UTF_8);
        } catch (GeneratorException e) {
            throw new IllegalStateException("CycloneDX serialisation of an inventory failed", e);
        }
    }

    private static Component component(InstalledPackage p, Distribution d, Map<String, Integer> refs) {
        Component c = new Component();
        c.setType(Component.Type.LIBRARY);
        String purl = Purls.of(p, d);
        int colon = p.name().indexOf(':');
        if (p.ecosystem() == io.berth.scanner.model.Ecosystem.MAVEN && colon > 0) {
            c.setGroup(p.name().substring(0, colon));
            c.setName(p.name().substring(colon + 1));
        } else {
            c.setName(p.name());
        }
        c.setVersion(p.version());
        c.setPurl(purl);
        // the same package can sit at several paths (two copies of a jar): bom-refs must be unique
        int seen = refs.merge(purl, 1, Integer::sum);
        c.setBomRef(seen == 1 ? purl : purl + "#" + seen);
        List<Property> props = new ArrayList<>();
        props.add(property("berth:path", p.path()));
        props.add(property(ECOSYSTEM, p.ecosystem().name()));
        if (p.ecosystem().isOsPackage()) {
            props.add(property("berth:sourceName", p.sourceName()));
            props.add(property("berth:sourceVersion", p.sourceVersion()));
        }
        c.setProperties(props);
        return c;
    }

    private static void addIfPresent(List<Property> props, String name, String value) {
        if (value != null) {
            props.add(property(name, value));
        }
    }

    private static Property property(String name, String value) {
        Property p = new Property();
        p.setName(name);
        p.setValue(value);
        return p;
    }
}
