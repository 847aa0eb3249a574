-- The packages each scanned image holds (issue 10 §3, continuous scanning); column-for-column identical across
-- sqlite/postgres. Written when a scan completes, keyed as the vulnerability data keys its advisories (ecosystem
-- without release, and the source package for OS packages), so a data update finds the images it concerns by
-- index, not by rescanning everything. Rows go with their image.
CREATE TABLE image_packages (
    repo_id   BIGINT NOT NULL,
    digest    TEXT   NOT NULL,
    ecosystem TEXT   NOT NULL,
    package   TEXT   NOT NULL,
    PRIMARY KEY (repo_id, digest, ecosystem, package),
    FOREIGN KEY (repo_id, digest) REFERENCES manifests (repo_id, digest) ON DELETE CASCADE
);
CREATE INDEX image_packages_package ON image_packages (ecosystem, package);
