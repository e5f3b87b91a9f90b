/// The member register's DDL exactly as Django's migrations create it (LEGACY.md §3): the `map`
/// and `membership` apps' tables, Django's constraint and index names (`names_digest`, an MD5 of the
/// table and column names, truncated to PostgreSQL's 63 characters as Django truncates them),
/// deferrable foreign keys, `varchar_pattern_ops` twins of unique varchar columns on PostgreSQL,
/// and multi-table inheritance: the address children's primary key is the parent's id.
/// Written out rather than computed: it is what `manage.py sqlmigrate` prints, and reads as such.
enum DemoRegisterDDL {
    static let postgres = """
        CREATE TABLE "map_country" ("id" serial NOT NULL PRIMARY KEY, "code" varchar(2) NOT NULL UNIQUE, "name" \
        varchar(100) NOT NULL);
        CREATE TABLE "map_municipality" ("id" serial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
        CREATE TABLE "map_postalcode" ("id" serial NOT NULL PRIMARY KEY, "code" integer NOT NULL UNIQUE);
        CREATE TABLE "map_municipalitypostalcode" ("id" serial NOT NULL PRIMARY KEY, "municipality_id" integer NOT \
        NULL, "postal_code_id" integer NOT NULL);
        CREATE TABLE "map_street" ("id" serial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL, "postal_code_id" \
        integer NULL, "municipality_id" integer NULL);
        CREATE TABLE "map_address" ("id" serial NOT NULL PRIMARY KEY, "street_id" integer NOT NULL, "number" integer \
        NULL, "letter" varchar(5) NOT NULL, "extra" varchar(100) NOT NULL, "special" varchar(100) NOT NULL);
        CREATE TABLE "membership_comrade" ("id" serial NOT NULL PRIMARY KEY, "ssn" varchar(10) NOT NULL UNIQUE, "name" \
        varchar(255) NOT NULL, "birthday" date NULL, "gender" integer NOT NULL, "housing_situation" integer NOT NULL, \
        "reachable" boolean NOT NULL, "groupable" boolean NOT NULL, "date_joined" timestamp with time zone NULL);
        CREATE TABLE "membership_contactinfo" ("id" serial NOT NULL PRIMARY KEY, "comrade_id" integer NOT NULL, \
        "email" varchar(254) NOT NULL, "phone" varchar(30) NOT NULL, "foreign_phone" varchar(30) NOT NULL, "facebook" \
        varchar(255) NOT NULL);
        CREATE TABLE "membership_simpleaddress" ("id" serial NOT NULL PRIMARY KEY, "comrade_id" integer NOT NULL, \
        "street_address" varchar(255) NOT NULL, "postal_code" varchar(10) NOT NULL, "city" varchar(100) NOT NULL, \
        "country" varchar(100) NOT NULL);
        CREATE TABLE "membership_newcomradeaddress" ("id" serial NOT NULL PRIMARY KEY, "country_id" integer NULL, \
        "current" boolean NOT NULL, "moved_in" date NULL, "moved_out" date NULL);
        CREATE TABLE "membership_newlocaladdress" ("newcomradeaddress_ptr_id" integer NOT NULL PRIMARY KEY, \
        "comrade_id" integer NULL, "address_id" integer NULL, "unlocated" boolean NOT NULL);
        CREATE TABLE "membership_newforeignaddress" ("newcomradeaddress_ptr_id" integer NOT NULL PRIMARY KEY, \
        "comrade_id" integer NULL, "address" varchar(255) NOT NULL, "postal_code" varchar(20) NOT NULL, "municipality" \
        varchar(100) NOT NULL);
        CREATE TABLE "membership_union" ("id" serial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL, \
        "abbreviation" varchar(20) NOT NULL, "logo" varchar(100) NOT NULL);
        CREATE TABLE "membership_unionmembership" ("id" serial NOT NULL PRIMARY KEY, "comrade_id" integer NOT NULL, \
        "union_id" integer NOT NULL);
        CREATE TABLE "membership_title" ("id" serial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
        CREATE TABLE "membership_comradetitle" ("id" serial NOT NULL PRIMARY KEY, "comrade_id" integer NOT NULL, \
        "title_id" integer NOT NULL);
        CREATE INDEX "map_country_code_a6a665ce_like" ON "map_country" ("code" varchar_pattern_ops);
        ALTER TABLE "map_municipalitypostalcode" ADD CONSTRAINT \
        "map_municipalitypost_municipality_id_48708fd8_fk_map_munic" FOREIGN KEY ("municipality_id") REFERENCES \
        "map_municipality" ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "map_municipalitypostalcode_municipality_id_48708fd8" ON "map_municipalitypostalcode" \
        ("municipality_id");
        ALTER TABLE "map_municipalitypostalcode" ADD CONSTRAINT \
        "map_municipalitypost_postal_code_id_9f31a2a9_fk_map_posta" FOREIGN KEY ("postal_code_id") REFERENCES \
        "map_postalcode" ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "map_municipalitypostalcode_postal_code_id_9f31a2a9" ON "map_municipalitypostalcode" \
        ("postal_code_id");
        ALTER TABLE "map_street" ADD CONSTRAINT "map_street_postal_code_id_d81e49cc_fk_map_postalcode_id" FOREIGN KEY \
        ("postal_code_id") REFERENCES "map_postalcode" ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "map_street_postal_code_id_d81e49cc" ON "map_street" ("postal_code_id");
        ALTER TABLE "map_street" ADD CONSTRAINT "map_street_municipality_id_4497cb2a_fk_map_municipality_id" FOREIGN \
        KEY ("municipality_id") REFERENCES "map_municipality" ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "map_street_municipality_id_4497cb2a" ON "map_street" ("municipality_id");
        ALTER TABLE "map_address" ADD CONSTRAINT "map_address_street_id_e6f0dfe2_fk_map_street_id" FOREIGN KEY \
        ("street_id") REFERENCES "map_street" ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "map_address_street_id_e6f0dfe2" ON "map_address" ("street_id");
        CREATE INDEX "membership_comrade_ssn_ba365baf_like" ON "membership_comrade" ("ssn" varchar_pattern_ops);
        ALTER TABLE "membership_contactinfo" ADD CONSTRAINT "membership_contactin_comrade_id_b284382f_fk_membershi" \
        FOREIGN KEY ("comrade_id") REFERENCES "membership_comrade" ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "membership_contactinfo_comrade_id_b284382f" ON "membership_contactinfo" ("comrade_id");
        ALTER TABLE "membership_simpleaddress" ADD CONSTRAINT "membership_simpleadd_comrade_id_c086e01e_fk_membershi" \
        FOREIGN KEY ("comrade_id") REFERENCES "membership_comrade" ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "membership_simpleaddress_comrade_id_c086e01e" ON "membership_simpleaddress" ("comrade_id");
        ALTER TABLE "membership_newcomradeaddress" ADD CONSTRAINT \
        "membership_newcomrad_country_id_decf4c12_fk_map_count" FOREIGN KEY ("country_id") REFERENCES "map_country" \
        ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "membership_newcomradeaddress_country_id_decf4c12" ON "membership_newcomradeaddress" \
        ("country_id");
        ALTER TABLE "membership_newlocaladdress" ADD CONSTRAINT \
        "membership_newlocala_newcomradeaddress_pt_a381c91c_fk_membershi" FOREIGN KEY ("newcomradeaddress_ptr_id") \
        REFERENCES "membership_newcomradeaddress" ("id") DEFERRABLE INITIALLY DEFERRED;
        ALTER TABLE "membership_newlocaladdress" ADD CONSTRAINT \
        "membership_newlocala_comrade_id_8212ff70_fk_membershi" FOREIGN KEY ("comrade_id") REFERENCES \
        "membership_comrade" ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "membership_newlocaladdress_comrade_id_8212ff70" ON "membership_newlocaladdress" ("comrade_id");
        ALTER TABLE "membership_newlocaladdress" ADD CONSTRAINT \
        "membership_newlocala_address_id_7e3d8080_fk_map_addre" FOREIGN KEY ("address_id") REFERENCES "map_address" \
        ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "membership_newlocaladdress_address_id_7e3d8080" ON "membership_newlocaladdress" ("address_id");
        ALTER TABLE "membership_newforeignaddress" ADD CONSTRAINT \
        "membership_newforeig_newcomradeaddress_pt_cce62401_fk_membershi" FOREIGN KEY ("newcomradeaddress_ptr_id") \
        REFERENCES "membership_newcomradeaddress" ("id") DEFERRABLE INITIALLY DEFERRED;
        ALTER TABLE "membership_newforeignaddress" ADD CONSTRAINT \
        "membership_newforeig_comrade_id_f92db3c8_fk_membershi" FOREIGN KEY ("comrade_id") REFERENCES \
        "membership_comrade" ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "membership_newforeignaddress_comrade_id_f92db3c8" ON "membership_newforeignaddress" \
        ("comrade_id");
        ALTER TABLE "membership_unionmembership" ADD CONSTRAINT \
        "membership_unionmemb_comrade_id_529ca6ed_fk_membershi" FOREIGN KEY ("comrade_id") REFERENCES \
        "membership_comrade" ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "membership_unionmembership_comrade_id_529ca6ed" ON "membership_unionmembership" ("comrade_id");
        ALTER TABLE "membership_unionmembership" ADD CONSTRAINT "membership_unionmemb_union_id_f9463db0_fk_membershi" \
        FOREIGN KEY ("union_id") REFERENCES "membership_union" ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "membership_unionmembership_union_id_f9463db0" ON "membership_unionmembership" ("union_id");
        ALTER TABLE "membership_comradetitle" ADD CONSTRAINT "membership_comradeti_comrade_id_403fa2dd_fk_membershi" \
        FOREIGN KEY ("comrade_id") REFERENCES "membership_comrade" ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "membership_comradetitle_comrade_id_403fa2dd" ON "membership_comradetitle" ("comrade_id");
        ALTER TABLE "membership_comradetitle" ADD CONSTRAINT "membership_comradeti_title_id_8b276faa_fk_membershi" \
        FOREIGN KEY ("title_id") REFERENCES "membership_title" ("id") DEFERRABLE INITIALLY DEFERRED;
        CREATE INDEX "membership_comradetitle_title_id_8b276faa" ON "membership_comradetitle" ("title_id");
        """

    /// SQLite: foreign keys inline (SQLite cannot add them later), the same index names.
    static let sqlite = """
        CREATE TABLE "map_country" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "code" varchar(2) NOT NULL \
        UNIQUE, "name" varchar(100) NOT NULL);
        CREATE TABLE "map_municipality" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL);
        CREATE TABLE "map_postalcode" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "code" integer NOT NULL UNIQUE);
        CREATE TABLE "map_municipalitypostalcode" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "municipality_id" \
        integer NOT NULL REFERENCES "map_municipality" ("id") DEFERRABLE INITIALLY DEFERRED, "postal_code_id" integer \
        NOT NULL REFERENCES "map_postalcode" ("id") DEFERRABLE INITIALLY DEFERRED);
        CREATE TABLE "map_street" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL, \
        "postal_code_id" integer NULL REFERENCES "map_postalcode" ("id") DEFERRABLE INITIALLY DEFERRED, \
        "municipality_id" integer NULL REFERENCES "map_municipality" ("id") DEFERRABLE INITIALLY DEFERRED);
        CREATE TABLE "map_address" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "street_id" integer NOT NULL \
        REFERENCES "map_street" ("id") DEFERRABLE INITIALLY DEFERRED, "number" integer NULL, "letter" varchar(5) NOT \
        NULL, "extra" varchar(100) NOT NULL, "special" varchar(100) NOT NULL);
        CREATE TABLE "membership_comrade" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "ssn" varchar(10) NOT NULL \
        UNIQUE, "name" varchar(255) NOT NULL, "birthday" date NULL, "gender" integer NOT NULL, "housing_situation" \
        integer NOT NULL, "reachable" bool NOT NULL, "groupable" bool NOT NULL, "date_joined" datetime NULL);
        CREATE TABLE "membership_contactinfo" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "comrade_id" integer \
        NOT NULL REFERENCES "membership_comrade" ("id") DEFERRABLE INITIALLY DEFERRED, "email" varchar(254) NOT NULL, \
        "phone" varchar(30) NOT NULL, "foreign_phone" varchar(30) NOT NULL, "facebook" varchar(255) NOT NULL);
        CREATE TABLE "membership_simpleaddress" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "comrade_id" integer \
        NOT NULL REFERENCES "membership_comrade" ("id") DEFERRABLE INITIALLY DEFERRED, "street_address" varchar(255) \
        NOT NULL, "postal_code" varchar(10) NOT NULL, "city" varchar(100) NOT NULL, "country" varchar(100) NOT NULL);
        CREATE TABLE "membership_newcomradeaddress" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "country_id" \
        integer NULL REFERENCES "map_country" ("id") DEFERRABLE INITIALLY DEFERRED, "current" bool NOT NULL, \
        "moved_in" date NULL, "moved_out" date NULL);
        CREATE TABLE "membership_newlocaladdress" ("newcomradeaddress_ptr_id" integer NOT NULL PRIMARY KEY REFERENCES \
        "membership_newcomradeaddress" ("id") DEFERRABLE INITIALLY DEFERRED, "comrade_id" integer NULL REFERENCES \
        "membership_comrade" ("id") DEFERRABLE INITIALLY DEFERRED, "address_id" integer NULL REFERENCES "map_address" \
        ("id") DEFERRABLE INITIALLY DEFERRED, "unlocated" bool NOT NULL);
        CREATE TABLE "membership_newforeignaddress" ("newcomradeaddress_ptr_id" integer NOT NULL PRIMARY KEY \
        REFERENCES "membership_newcomradeaddress" ("id") DEFERRABLE INITIALLY DEFERRED, "comrade_id" integer NULL \
        REFERENCES "membership_comrade" ("id") DEFERRABLE INITIALLY DEFERRED, "address" varchar(255) NOT NULL, \
        "postal_code" varchar(20) NOT NULL, "municipality" varchar(100) NOT NULL);
        CREATE TABLE "membership_union" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT \
        NULL, "abbreviation" varchar(20) NOT NULL, "logo" varchar(100) NOT NULL);
        CREATE TABLE "membership_unionmembership" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "comrade_id" \
        integer NOT NULL REFERENCES "membership_comrade" ("id") DEFERRABLE INITIALLY DEFERRED, "union_id" integer NOT \
        NULL REFERENCES "membership_union" ("id") DEFERRABLE INITIALLY DEFERRED);
        CREATE TABLE "membership_title" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL);
        CREATE TABLE "membership_comradetitle" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "comrade_id" integer \
        NOT NULL REFERENCES "membership_comrade" ("id") DEFERRABLE INITIALLY DEFERRED, "title_id" integer NOT NULL \
        REFERENCES "membership_title" ("id") DEFERRABLE INITIALLY DEFERRED);
        CREATE INDEX "map_municipalitypostalcode_municipality_id_48708fd8" ON "map_municipalitypostalcode" \
        ("municipality_id");
        CREATE INDEX "map_municipalitypostalcode_postal_code_id_9f31a2a9" ON "map_municipalitypostalcode" \
        ("postal_code_id");
        CREATE INDEX "map_street_postal_code_id_d81e49cc" ON "map_street" ("postal_code_id");
        CREATE INDEX "map_street_municipality_id_4497cb2a" ON "map_street" ("municipality_id");
        CREATE INDEX "map_address_street_id_e6f0dfe2" ON "map_address" ("street_id");
        CREATE INDEX "membership_contactinfo_comrade_id_b284382f" ON "membership_contactinfo" ("comrade_id");
        CREATE INDEX "membership_simpleaddress_comrade_id_c086e01e" ON "membership_simpleaddress" ("comrade_id");
        CREATE INDEX "membership_newcomradeaddress_country_id_decf4c12" ON "membership_newcomradeaddress" \
        ("country_id");
        CREATE INDEX "membership_newlocaladdress_comrade_id_8212ff70" ON "membership_newlocaladdress" ("comrade_id");
        CREATE INDEX "membership_newlocaladdress_address_id_7e3d8080" ON "membership_newlocaladdress" ("address_id");
        CREATE INDEX "membership_newforeignaddress_comrade_id_f92db3c8" ON "membership_newforeignaddress" \
        ("comrade_id");
        CREATE INDEX "membership_unionmembership_comrade_id_529ca6ed" ON "membership_unionmembership" ("comrade_id");
        CREATE INDEX "membership_unionmembership_union_id_f9463db0" ON "membership_unionmembership" ("union_id");
        CREATE INDEX "membership_comradetitle_comrade_id_403fa2dd" ON "membership_comradetitle" ("comrade_id");
        CREATE INDEX "membership_comradetitle_title_id_8b276faa" ON "membership_comradetitle" ("title_id");
        """
}
