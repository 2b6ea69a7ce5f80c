-- The population registry Raia checks registrations against (in Kenya, IPRS).
CREATE TABLE registry_people (
    id_number     TEXT PRIMARY KEY NOT NULL,
    first_name    TEXT NOT NULL,
    surname       TEXT NOT NULL,
    year_of_birth BIGINT NOT NULL,
    citizenship   TEXT NOT NULL CHECK (citizenship IN ('citizen', 'foreign_resident'))
);
