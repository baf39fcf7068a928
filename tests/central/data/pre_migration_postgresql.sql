-- The central schema as `metadata.create_all` made it on postgresql before the
-- service had migrations. Frozen: the upgrade test starts from it.
CREATE TABLE central_locker (
	locker_id VARCHAR(64) NOT NULL,
	name VARCHAR(200) NOT NULL,
	address VARCHAR(500) NOT NULL,
	timezone VARCHAR(64) NOT NULL,
	code_salt VARCHAR(64) NOT NULL,
	kdf_n INTEGER NOT NULL,
	kdf_r INTEGER NOT NULL,
	kdf_p INTEGER NOT NULL,
	kdf_dklen INTEGER NOT NULL,
	layout JSON NOT NULL,
	layout_version INTEGER NOT NULL,
	change_seq BIGINT NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (locker_id)
);

CREATE TABLE central_courier (
	courier_id VARCHAR(64) NOT NULL,
	name VARCHAR(200) NOT NULL,
	active BOOLEAN NOT NULL,
	version INTEGER NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (courier_id)
);

CREATE TABLE central_locker_status (
	locker_id VARCHAR(64) NOT NULL,
	last_heartbeat_at TIMESTAMP WITH TIME ZONE,
	sent_at TIMESTAMP WITH TIME ZONE,
	software_version VARCHAR(64),
	outbox_depth INTEGER,
	last_event_seq BIGINT,
	board_ok BOOLEAN,
	compartments JSON,
	PRIMARY KEY (locker_id),
	FOREIGN KEY(locker_id) REFERENCES central_locker (locker_id)
);

CREATE TABLE central_token (
	token_hash VARCHAR(64) NOT NULL,
	kind VARCHAR(16) NOT NULL,
	locker_id VARCHAR(64),
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	revoked_at TIMESTAMP WITH TIME ZONE,
	PRIMARY KEY (token_hash),
	FOREIGN KEY(locker_id) REFERENCES central_locker (locker_id)
);

CREATE INDEX ix_central_token_locker ON central_token (locker_id);

CREATE TABLE central_parcel (
	parcel_id VARCHAR(64) NOT NULL,
	locker_id VARCHAR(64) NOT NULL,
	order_ref VARCHAR(128) NOT NULL,
	state VARCHAR(16) NOT NULL,
	size VARCHAR(4) NOT NULL,
	compartment_id VARCHAR(32),
	barcode VARCHAR(128) NOT NULL,
	pickup_code_hash VARCHAR(128),
	pickup_deadline TIMESTAMP WITH TIME ZONE NOT NULL,
	recipient_hint VARCHAR(200),
	version INTEGER NOT NULL,
	change_seq BIGINT NOT NULL,
	physical_at TIMESTAMP WITH TIME ZONE,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (parcel_id),
	CONSTRAINT uq_central_parcel_order_ref UNIQUE (locker_id, order_ref),
	FOREIGN KEY(locker_id) REFERENCES central_locker (locker_id)
);

CREATE INDEX ix_central_parcel_pull ON central_parcel (locker_id, change_seq);

CREATE INDEX ix_central_parcel_barcode ON central_parcel (locker_id, barcode);

CREATE INDEX ix_central_parcel_deadline ON central_parcel (state, pickup_deadline);

CREATE TABLE central_courier_locker (
	courier_id VARCHAR(64) NOT NULL,
	locker_id VARCHAR(64) NOT NULL,
	pin_hash VARCHAR(128),
	badge_hash VARCHAR(128),
	assigned BOOLEAN NOT NULL,
	change_seq BIGINT NOT NULL,
	PRIMARY KEY (courier_id, locker_id),
	FOREIGN KEY(courier_id) REFERENCES central_courier (courier_id),
	FOREIGN KEY(locker_id) REFERENCES central_locker (locker_id)
);

CREATE INDEX ix_central_courier_pull ON central_courier_locker (locker_id, change_seq);

CREATE TABLE central_event (
	event_id VARCHAR(36) NOT NULL,
	locker_id VARCHAR(64) NOT NULL,
	seq BIGINT NOT NULL,
	type VARCHAR(64) NOT NULL,
	occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
	parcel_id VARCHAR(64),
	compartment_id VARCHAR(32),
	actor_kind VARCHAR(16) NOT NULL,
	actor_id VARCHAR(64),
	data JSON NOT NULL,
	received_at TIMESTAMP WITH TIME ZONE NOT NULL,
	change_seq BIGINT NOT NULL,
	PRIMARY KEY (event_id),
	FOREIGN KEY(locker_id) REFERENCES central_locker (locker_id)
);

CREATE INDEX ix_central_event_seq ON central_event (locker_id, seq);

CREATE INDEX ix_central_event_type ON central_event (type, received_at);

CREATE INDEX ix_central_event_log ON central_event (locker_id, change_seq);

CREATE TABLE central_command (
	command_id VARCHAR(36) NOT NULL,
	locker_id VARCHAR(64) NOT NULL,
	type VARCHAR(32) NOT NULL,
	compartment_id VARCHAR(32),
	reason TEXT NOT NULL,
	status VARCHAR(16) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
	delivered_at TIMESTAMP WITH TIME ZONE,
	result_at TIMESTAMP WITH TIME ZONE,
	result JSON,
	PRIMARY KEY (command_id),
	FOREIGN KEY(locker_id) REFERENCES central_locker (locker_id)
);

CREATE INDEX ix_central_command_open ON central_command (locker_id, status);
