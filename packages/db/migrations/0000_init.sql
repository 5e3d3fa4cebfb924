CREATE TABLE "personal_access_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" varchar(256) NOT NULL,
	"bio" varchar(1024) DEFAULT '' NOT NULL,
	"token_hash" varchar(128) NOT NULL,
	"token_prefix" varchar(16) NOT NULL,
	"scopes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state" varchar(16) DEFAULT 'active' NOT NULL,
	"expired_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"user_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "role_permissions" (
	"role_id" integer NOT NULL,
	"resource" varchar(64) NOT NULL,
	"action" varchar(16) NOT NULL,
	CONSTRAINT "role_permissions_role_id_resource_pk" PRIMARY KEY("role_id","resource")
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" varchar(128) NOT NULL,
	"description" varchar(1024) DEFAULT '' NOT NULL,
	"built_in" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" varchar(128) PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_roles" (
	"user_id" integer NOT NULL,
	"role_id" integer NOT NULL,
	CONSTRAINT "user_roles_user_id_role_id_pk" PRIMARY KEY("user_id","role_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" varchar(256) NOT NULL,
	"email" varchar(256),
	"encrypted_password" text NOT NULL,
	"state" varchar(16) DEFAULT 'enable' NOT NULL,
	"bio" varchar(1024) DEFAULT '' NOT NULL,
	"avatar" varchar(1024) DEFAULT '' NOT NULL,
	"phone" varchar(64) DEFAULT '' NOT NULL,
	"location" varchar(256) DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "config_revisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"scheduler_cluster_id" integer NOT NULL,
	"revision" bigint NOT NULL,
	"config" jsonb NOT NULL,
	"client_config" jsonb NOT NULL,
	"created_by" integer
);
--> statement-breakpoint
CREATE TABLE "scheduler_clusters" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" varchar(256) NOT NULL,
	"bio" varchar(1024) DEFAULT '' NOT NULL,
	"config" jsonb NOT NULL,
	"client_config" jsonb NOT NULL,
	"scopes" jsonb NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"config_revision" bigint DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedulers" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"hostname" varchar(256) NOT NULL,
	"ip" varchar(64) NOT NULL,
	"port" integer NOT NULL,
	"idc" varchar(1024) DEFAULT '' NOT NULL,
	"location" varchar(1024) DEFAULT '' NOT NULL,
	"state" varchar(16) DEFAULT 'inactive' NOT NULL,
	"last_keep_alive_at" timestamp with time zone,
	"applied_revision" bigint,
	"features" jsonb DEFAULT '["schedule","preheat"]'::jsonb NOT NULL,
	"scheduler_cluster_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seed_peer_cluster_scheduler_clusters" (
	"seed_peer_cluster_id" integer NOT NULL,
	"scheduler_cluster_id" integer NOT NULL,
	CONSTRAINT "seed_peer_cluster_scheduler_clusters_seed_peer_cluster_id_scheduler_cluster_id_pk" PRIMARY KEY("seed_peer_cluster_id","scheduler_cluster_id")
);
--> statement-breakpoint
CREATE TABLE "seed_peer_clusters" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" varchar(256) NOT NULL,
	"bio" varchar(1024) DEFAULT '' NOT NULL,
	"config" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seed_peers" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"hostname" varchar(256) NOT NULL,
	"ip" varchar(64) NOT NULL,
	"port" integer NOT NULL,
	"idc" varchar(1024) DEFAULT '' NOT NULL,
	"location" varchar(1024) DEFAULT '' NOT NULL,
	"state" varchar(16) DEFAULT 'inactive' NOT NULL,
	"last_keep_alive_at" timestamp with time zone,
	"applied_revision" bigint,
	"type" varchar(16) DEFAULT 'super' NOT NULL,
	"download_port" integer NOT NULL,
	"proxy_port" integer DEFAULT 0 NOT NULL,
	"seed_peer_cluster_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_scheduler_clusters" (
	"job_id" integer NOT NULL,
	"scheduler_cluster_id" integer NOT NULL,
	CONSTRAINT "job_scheduler_clusters_job_id_scheduler_cluster_id_pk" PRIMARY KEY("job_id","scheduler_cluster_id")
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"type" varchar(64) NOT NULL,
	"bio" varchar(1024) DEFAULT '' NOT NULL,
	"args" jsonb NOT NULL,
	"state" varchar(16) DEFAULT 'PENDING' NOT NULL,
	"result" jsonb,
	"user_id" integer,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audits" (
	"id" serial PRIMARY KEY NOT NULL,
	"actor_type" varchar(16) NOT NULL,
	"actor_name" varchar(256) NOT NULL,
	"action" varchar(128) NOT NULL,
	"target_type" varchar(64) NOT NULL,
	"target_id" varchar(256) DEFAULT '' NOT NULL,
	"state" varchar(16) NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "personal_access_tokens" ADD CONSTRAINT "personal_access_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_permissions" ADD CONSTRAINT "role_permissions_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "config_revisions" ADD CONSTRAINT "config_revisions_scheduler_cluster_id_scheduler_clusters_id_fk" FOREIGN KEY ("scheduler_cluster_id") REFERENCES "public"."scheduler_clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedulers" ADD CONSTRAINT "schedulers_scheduler_cluster_id_scheduler_clusters_id_fk" FOREIGN KEY ("scheduler_cluster_id") REFERENCES "public"."scheduler_clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seed_peer_cluster_scheduler_clusters" ADD CONSTRAINT "seed_peer_cluster_scheduler_clusters_seed_peer_cluster_id_seed_peer_clusters_id_fk" FOREIGN KEY ("seed_peer_cluster_id") REFERENCES "public"."seed_peer_clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seed_peer_cluster_scheduler_clusters" ADD CONSTRAINT "seed_peer_cluster_scheduler_clusters_scheduler_cluster_id_scheduler_clusters_id_fk" FOREIGN KEY ("scheduler_cluster_id") REFERENCES "public"."scheduler_clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seed_peers" ADD CONSTRAINT "seed_peers_seed_peer_cluster_id_seed_peer_clusters_id_fk" FOREIGN KEY ("seed_peer_cluster_id") REFERENCES "public"."seed_peer_clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_scheduler_clusters" ADD CONSTRAINT "job_scheduler_clusters_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_scheduler_clusters" ADD CONSTRAINT "job_scheduler_clusters_scheduler_cluster_id_scheduler_clusters_id_fk" FOREIGN KEY ("scheduler_cluster_id") REFERENCES "public"."scheduler_clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "pat_name_uk" ON "personal_access_tokens" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "pat_token_hash_uk" ON "personal_access_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "roles_name_uk" ON "roles" USING btree ("name");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_name_uk" ON "users" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uk" ON "users" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "config_revisions_cluster_revision_uk" ON "config_revisions" USING btree ("scheduler_cluster_id","revision");--> statement-breakpoint
CREATE UNIQUE INDEX "scheduler_clusters_name_uk" ON "scheduler_clusters" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "schedulers_uk" ON "schedulers" USING btree ("hostname","ip","scheduler_cluster_id");--> statement-breakpoint
CREATE UNIQUE INDEX "seed_peer_clusters_name_uk" ON "seed_peer_clusters" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "seed_peers_uk" ON "seed_peers" USING btree ("hostname","ip","seed_peer_cluster_id");--> statement-breakpoint
CREATE INDEX "jobs_state_idx" ON "jobs" USING btree ("state");--> statement-breakpoint
CREATE INDEX "jobs_type_idx" ON "jobs" USING btree ("type");--> statement-breakpoint
CREATE INDEX "audits_created_idx" ON "audits" USING btree ("created_at");