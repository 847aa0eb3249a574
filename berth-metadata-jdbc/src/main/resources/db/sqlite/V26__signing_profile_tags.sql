-- Signer's tags of a signing profile (PutSigningProfile's tags, TagResource, UntagResource). Profiles are never
-- deleted (a canceled one keeps its name), so the tags go with the profile row only if it ever is.
CREATE TABLE signing_profile_tags (
    registry_id  TEXT NOT NULL,
    profile_name TEXT NOT NULL,
    tag_key      TEXT NOT NULL,
    tag_value    TEXT NOT NULL,
    PRIMARY KEY (registry_id, profile_name, tag_key),
    FOREIGN KEY (registry_id, profile_name) REFERENCES signing_profiles (registry_id, name) ON DELETE CASCADE
);
