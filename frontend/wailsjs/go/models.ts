export namespace desktop {
	
	export class AccountResult {
	    account?: panel.Account;
	
	    static createFrom(source: any = {}) {
	        return new AccountResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = this.convertValues(source["account"], panel.Account);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CustomerEmailInput {
	    id: number;
	    subject: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new CustomerEmailInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.subject = source["subject"];
	        this.message = source["message"];
	    }
	}
	export class CustomerMailLogInput {
	    id: number;
	    cursor: string;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new CustomerMailLogInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.cursor = source["cursor"];
	        this.limit = source["limit"];
	    }
	}
	export class DeleteCustomerInput {
	    id: number;
	    confirm: string;
	
	    static createFrom(source: any = {}) {
	        return new DeleteCustomerInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.confirm = source["confirm"];
	    }
	}
	export class Done {
	    ok: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Done(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	    }
	}
	export class Empty {
	
	
	    static createFrom(source: any = {}) {
	        return new Empty(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	
	    }
	}
	export class IDInput {
	    id: number;
	
	    static createFrom(source: any = {}) {
	        return new IDInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	    }
	}
	export class MediaAddDroppedInput {
	    id: number;
	    dir: string;
	    overwrite: boolean;
	    token: string;
	
	    static createFrom(source: any = {}) {
	        return new MediaAddDroppedInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.dir = source["dir"];
	        this.overwrite = source["overwrite"];
	        this.token = source["token"];
	    }
	}
	export class MediaAddInput {
	    id: number;
	    dir: string;
	    overwrite: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MediaAddInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.dir = source["dir"];
	        this.overwrite = source["overwrite"];
	    }
	}
	export class MediaAddResult {
	    items: panel.MediaFile[];
	    skipped: string[];
	    canceled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MediaAddResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], panel.MediaFile);
	        this.skipped = source["skipped"];
	        this.canceled = source["canceled"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MediaDeleteInput {
	    id: number;
	    path: string;
	
	    static createFrom(source: any = {}) {
	        return new MediaDeleteInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.path = source["path"];
	    }
	}
	export class MediaListInput {
	    id: number;
	    q: string;
	    kind: string;
	    sort: string;
	    cursor: string;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new MediaListInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.q = source["q"];
	        this.kind = source["kind"];
	        this.sort = source["sort"];
	        this.cursor = source["cursor"];
	        this.limit = source["limit"];
	    }
	}
	export class NextPort {
	    port: number;
	
	    static createFrom(source: any = {}) {
	        return new NextPort(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.port = source["port"];
	    }
	}
	export class PlanList {
	    items: panel.Plan[];
	
	    static createFrom(source: any = {}) {
	        return new PlanList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], panel.Plan);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ResendInput {
	    id: number;
	    mail_id: number;
	
	    static createFrom(source: any = {}) {
	        return new ResendInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.mail_id = source["mail_id"];
	    }
	}
	export class SetPasswordInput {
	    id: number;
	    password: string;
	    password_confirm: string;
	
	    static createFrom(source: any = {}) {
	        return new SetPasswordInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.password = source["password"];
	        this.password_confirm = source["password_confirm"];
	    }
	}
	export class SuspendInput {
	    id: number;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new SuspendInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.reason = source["reason"];
	    }
	}
	export class TemplateRef {
	    name: string;
	    language: string;
	
	    static createFrom(source: any = {}) {
	        return new TemplateRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.language = source["language"];
	    }
	}
	export class UpdateCustomerInput {
	    id: number;
	    username?: string;
	    name?: string;
	    contact_number?: string;
	    email?: string;
	    level?: string;
	    status?: string;
	    api_access?: boolean;
	    accessibility?: boolean;
	    timezone?: string;
	    language?: string;
	    reseller_plan_id?: number;
	
	    static createFrom(source: any = {}) {
	        return new UpdateCustomerInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.username = source["username"];
	        this.name = source["name"];
	        this.contact_number = source["contact_number"];
	        this.email = source["email"];
	        this.level = source["level"];
	        this.status = source["status"];
	        this.api_access = source["api_access"];
	        this.accessibility = source["accessibility"];
	        this.timezone = source["timezone"];
	        this.language = source["language"];
	        this.reseller_plan_id = source["reseller_plan_id"];
	    }
	}
	export class UpdatePlanInput {
	    id: number;
	    name?: string;
	    autodj?: boolean;
	    autodj_quota: panel.OptionalInt;
	    proxy?: boolean;
	    max_connections: panel.OptionalInt;
	    data_transfer_mb: panel.OptionalInt;
	    max_bitrate_kbps: panel.OptionalInt;
	    server_limit: panel.OptionalInt;
	
	    static createFrom(source: any = {}) {
	        return new UpdatePlanInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.autodj = source["autodj"];
	        this.autodj_quota = this.convertValues(source["autodj_quota"], panel.OptionalInt);
	        this.proxy = source["proxy"];
	        this.max_connections = this.convertValues(source["max_connections"], panel.OptionalInt);
	        this.data_transfer_mb = this.convertValues(source["data_transfer_mb"], panel.OptionalInt);
	        this.max_bitrate_kbps = this.convertValues(source["max_bitrate_kbps"], panel.OptionalInt);
	        this.server_limit = this.convertValues(source["server_limit"], panel.OptionalInt);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class UpdateServiceInput {
	    id: number;
	    owner_id?: number;
	    name?: string;
	    type?: string;
	    port?: number;
	    max_connections?: number;
	    bitrate_kbps?: number;
	    data_transfer_mb?: number;
	    autodj?: boolean;
	    autodj_quota?: number;
	    proxy?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new UpdateServiceInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.owner_id = source["owner_id"];
	        this.name = source["name"];
	        this.type = source["type"];
	        this.port = source["port"];
	        this.max_connections = source["max_connections"];
	        this.bitrate_kbps = source["bitrate_kbps"];
	        this.data_transfer_mb = source["data_transfer_mb"];
	        this.autodj = source["autodj"];
	        this.autodj_quota = source["autodj_quota"];
	        this.proxy = source["proxy"];
	    }
	}

}

export namespace panel {
	
	export class APIKey {
	    id: number;
	    account_id: number;
	    name: string;
	    prefix: string;
	    // Go type: time
	    created_at: any;
	    // Go type: time
	    last_used_at?: any;
	
	    static createFrom(source: any = {}) {
	        return new APIKey(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.account_id = source["account_id"];
	        this.name = source["name"];
	        this.prefix = source["prefix"];
	        this.created_at = this.convertValues(source["created_at"], null);
	        this.last_used_at = this.convertValues(source["last_used_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class APIKeyList {
	    items: APIKey[];
	
	    static createFrom(source: any = {}) {
	        return new APIKeyList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], APIKey);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Account {
	    id: number;
	    username: string;
	    name: string;
	    contact_number: string;
	    email: string;
	    level: string;
	    status: string;
	    api_access: boolean;
	    accessibility: boolean;
	    timezone: string;
	    language: string;
	    reseller_plan_id?: number;
	    reseller_plan_name: string;
	    owner_id?: number;
	    must_change_password: boolean;
	    // Go type: time
	    created_at: any;
	    // Go type: time
	    updated_at: any;
	    // Go type: time
	    last_login_at?: any;
	    services_count: number;
	
	    static createFrom(source: any = {}) {
	        return new Account(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.username = source["username"];
	        this.name = source["name"];
	        this.contact_number = source["contact_number"];
	        this.email = source["email"];
	        this.level = source["level"];
	        this.status = source["status"];
	        this.api_access = source["api_access"];
	        this.accessibility = source["accessibility"];
	        this.timezone = source["timezone"];
	        this.language = source["language"];
	        this.reseller_plan_id = source["reseller_plan_id"];
	        this.reseller_plan_name = source["reseller_plan_name"];
	        this.owner_id = source["owner_id"];
	        this.must_change_password = source["must_change_password"];
	        this.created_at = this.convertValues(source["created_at"], null);
	        this.updated_at = this.convertValues(source["updated_at"], null);
	        this.last_login_at = this.convertValues(source["last_login_at"], null);
	        this.services_count = source["services_count"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AccountPage {
	    items: Account[];
	    next_cursor: string;
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new AccountPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Account);
	        this.next_cursor = source["next_cursor"];
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AccountRef {
	    id: number;
	    username: string;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new AccountRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.username = source["username"];
	        this.name = source["name"];
	    }
	}
	export class AuditEntry {
	    id: number;
	    // Go type: time
	    at: any;
	    actor_id?: number;
	    actor: string;
	    impersonator_id?: number;
	    impersonator: string;
	    event: string;
	    subject_type: string;
	    subject_id: string;
	    details: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = this.convertValues(source["at"], null);
	        this.actor_id = source["actor_id"];
	        this.actor = source["actor"];
	        this.impersonator_id = source["impersonator_id"];
	        this.impersonator = source["impersonator"];
	        this.event = source["event"];
	        this.subject_type = source["subject_type"];
	        this.subject_id = source["subject_id"];
	        this.details = source["details"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AuditPage {
	    items: AuditEntry[];
	    next_cursor: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], AuditEntry);
	        this.next_cursor = source["next_cursor"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AuditQuery {
	    actor: string;
	    subject: string;
	    event: string;
	    cursor: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.actor = source["actor"];
	        this.subject = source["subject"];
	        this.event = source["event"];
	        this.cursor = source["cursor"];
	        this.limit = source["limit"];
	    }
	}
	export class ChangePasswordInput {
	    current_password: string;
	    password: string;
	    password_confirm: string;
	
	    static createFrom(source: any = {}) {
	        return new ChangePasswordInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.current_password = source["current_password"];
	        this.password = source["password"];
	        this.password_confirm = source["password_confirm"];
	    }
	}
	export class CreateAPIKeyInput {
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new CreateAPIKeyInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	    }
	}
	export class CreateAccountInput {
	    username: string;
	    password: string;
	    password_confirm: string;
	    name: string;
	    contact_number: string;
	    email: string;
	    level: string;
	    status: string;
	    api_access: boolean;
	    accessibility: boolean;
	    timezone: string;
	    language: string;
	    reseller_plan_id?: number;
	    send_welcome_email: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CreateAccountInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.password = source["password"];
	        this.password_confirm = source["password_confirm"];
	        this.name = source["name"];
	        this.contact_number = source["contact_number"];
	        this.email = source["email"];
	        this.level = source["level"];
	        this.status = source["status"];
	        this.api_access = source["api_access"];
	        this.accessibility = source["accessibility"];
	        this.timezone = source["timezone"];
	        this.language = source["language"];
	        this.reseller_plan_id = source["reseller_plan_id"];
	        this.send_welcome_email = source["send_welcome_email"];
	    }
	}
	export class CreatedAPIKey {
	    id: number;
	    account_id: number;
	    name: string;
	    prefix: string;
	    key: string;
	    // Go type: time
	    created_at: any;
	
	    static createFrom(source: any = {}) {
	        return new CreatedAPIKey(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.account_id = source["account_id"];
	        this.name = source["name"];
	        this.prefix = source["prefix"];
	        this.key = source["key"];
	        this.created_at = this.convertValues(source["created_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ServiceSummary {
	    id: number;
	    name: string;
	    type: string;
	    port: number;
	    status: string;
	
	    static createFrom(source: any = {}) {
	        return new ServiceSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.type = source["type"];
	        this.port = source["port"];
	        this.status = source["status"];
	    }
	}
	export class DeletePreview {
	    account?: Account;
	    services: ServiceSummary[];
	    files: number;
	    bytes: number;
	    customers_reassigned: AccountRef[];
	
	    static createFrom(source: any = {}) {
	        return new DeletePreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = this.convertValues(source["account"], Account);
	        this.services = this.convertValues(source["services"], ServiceSummary);
	        this.files = source["files"];
	        this.bytes = source["bytes"];
	        this.customers_reassigned = this.convertValues(source["customers_reassigned"], AccountRef);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EmailPreview {
	    to: string;
	    from: string;
	    subject: string;
	    html: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new EmailPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.to = source["to"];
	        this.from = source["from"];
	        this.subject = source["subject"];
	        this.html = source["html"];
	        this.text = source["text"];
	    }
	}
	export class FeatureUsage {
	    allowed: boolean;
	    used: boolean;
	
	    static createFrom(source: any = {}) {
	        return new FeatureUsage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.allowed = source["allowed"];
	        this.used = source["used"];
	    }
	}
	export class ForgotInput {
	    login: string;
	
	    static createFrom(source: any = {}) {
	        return new ForgotInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.login = source["login"];
	    }
	}
	export class Health {
	    status: string;
	    version: string;
	    needs_setup: boolean;
	    password_min_length: number;
	
	    static createFrom(source: any = {}) {
	        return new Health(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.version = source["version"];
	        this.needs_setup = source["needs_setup"];
	        this.password_min_length = source["password_min_length"];
	    }
	}
	export class LimitUsage {
	    allowed?: number;
	    used: number;
	
	    static createFrom(source: any = {}) {
	        return new LimitUsage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.allowed = source["allowed"];
	        this.used = source["used"];
	    }
	}
	export class ListAPIKeysInput {
	    account_id: number;
	
	    static createFrom(source: any = {}) {
	        return new ListAPIKeysInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account_id = source["account_id"];
	    }
	}
	export class ListAccountsInput {
	    q: string;
	    level: string;
	    status: string;
	    reseller_id: number;
	    sort: string;
	    cursor: string;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new ListAccountsInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.q = source["q"];
	        this.level = source["level"];
	        this.status = source["status"];
	        this.reseller_id = source["reseller_id"];
	        this.sort = source["sort"];
	        this.cursor = source["cursor"];
	        this.limit = source["limit"];
	    }
	}
	export class ListServicesInput {
	    owner_id: number;
	    status: string;
	    type: string;
	    cursor: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new ListServicesInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.owner_id = source["owner_id"];
	        this.status = source["status"];
	        this.type = source["type"];
	        this.cursor = source["cursor"];
	        this.limit = source["limit"];
	    }
	}
	export class LoginInput {
	    username: string;
	    password: string;
	
	    static createFrom(source: any = {}) {
	        return new LoginInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.password = source["password"];
	    }
	}
	export class MailCounts {
	    queued: number;
	    failed: number;
	
	    static createFrom(source: any = {}) {
	        return new MailCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.queued = source["queued"];
	        this.failed = source["failed"];
	    }
	}
	export class OutboxMail {
	    id: number;
	    account_id?: number;
	    kind: string;
	    to: string;
	    to_name: string;
	    subject: string;
	    html: string;
	    text: string;
	    message_id: string;
	    sensitive: boolean;
	    state: string;
	    attempts: number;
	    last_error: string;
	    error_kind: string;
	    // Go type: time
	    next_attempt_at: any;
	    // Go type: time
	    created_at: any;
	    // Go type: time
	    updated_at: any;
	    // Go type: time
	    sent_at?: any;
	    resend_of?: number;
	    created_by: string;
	
	    static createFrom(source: any = {}) {
	        return new OutboxMail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.account_id = source["account_id"];
	        this.kind = source["kind"];
	        this.to = source["to"];
	        this.to_name = source["to_name"];
	        this.subject = source["subject"];
	        this.html = source["html"];
	        this.text = source["text"];
	        this.message_id = source["message_id"];
	        this.sensitive = source["sensitive"];
	        this.state = source["state"];
	        this.attempts = source["attempts"];
	        this.last_error = source["last_error"];
	        this.error_kind = source["error_kind"];
	        this.next_attempt_at = this.convertValues(source["next_attempt_at"], null);
	        this.created_at = this.convertValues(source["created_at"], null);
	        this.updated_at = this.convertValues(source["updated_at"], null);
	        this.sent_at = this.convertValues(source["sent_at"], null);
	        this.resend_of = source["resend_of"];
	        this.created_by = source["created_by"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MailPage {
	    items: OutboxMail[];
	    next_cursor: string;
	
	    static createFrom(source: any = {}) {
	        return new MailPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], OutboxMail);
	        this.next_cursor = source["next_cursor"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MailStatus {
	    configured: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MailStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.configured = source["configured"];
	    }
	}
	export class MailTemplate {
	    name: string;
	    language: string;
	    subject: string;
	    html: string;
	    is_default: boolean;
	    placeholders: string[];
	
	    static createFrom(source: any = {}) {
	        return new MailTemplate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.language = source["language"];
	        this.subject = source["subject"];
	        this.html = source["html"];
	        this.is_default = source["is_default"];
	        this.placeholders = source["placeholders"];
	    }
	}
	export class Me {
	    account?: Account;
	    impersonator?: Account;
	
	    static createFrom(source: any = {}) {
	        return new Me(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = this.convertValues(source["account"], Account);
	        this.impersonator = this.convertValues(source["impersonator"], Account);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MediaChanged {
	    account_id: number;
	    files: number;
	    bytes: number;
	
	    static createFrom(source: any = {}) {
	        return new MediaChanged(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account_id = source["account_id"];
	        this.files = source["files"];
	        this.bytes = source["bytes"];
	    }
	}
	export class MediaFile {
	    path: string;
	    size: number;
	    kind: string;
	    // Go type: time
	    modified_at: any;
	
	    static createFrom(source: any = {}) {
	        return new MediaFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.size = source["size"];
	        this.kind = source["kind"];
	        this.modified_at = this.convertValues(source["modified_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MediaLibrary {
	    items: MediaFile[];
	    next_cursor: string;
	    total: number;
	    path: string;
	    files: number;
	    bytes: number;
	    max_upload_bytes: number;
	
	    static createFrom(source: any = {}) {
	        return new MediaLibrary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], MediaFile);
	        this.next_cursor = source["next_cursor"];
	        this.total = source["total"];
	        this.path = source["path"];
	        this.files = source["files"];
	        this.bytes = source["bytes"];
	        this.max_upload_bytes = source["max_upload_bytes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MediaSummary {
	    path: string;
	    files: number;
	    bytes: number;
	
	    static createFrom(source: any = {}) {
	        return new MediaSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.files = source["files"];
	        this.bytes = source["bytes"];
	    }
	}
	export class MediaWatchStatus {
	    running: boolean;
	    root: string;
	    watches: number;
	    polled_accounts: number;
	    overflows: number;
	    rescans: number;
	    limit_hint?: string;
	
	    static createFrom(source: any = {}) {
	        return new MediaWatchStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.root = source["root"];
	        this.watches = source["watches"];
	        this.polled_accounts = source["polled_accounts"];
	        this.overflows = source["overflows"];
	        this.rescans = source["rescans"];
	        this.limit_hint = source["limit_hint"];
	    }
	}
	export class OptionalInt {
	    Set: boolean;
	    Value?: number;
	
	    static createFrom(source: any = {}) {
	        return new OptionalInt(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Set = source["Set"];
	        this.Value = source["Value"];
	    }
	}
	
	export class PlanRef {
	    id: number;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new PlanRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	    }
	}
	export class ResellerUsage {
	    plan: PlanRef;
	    server_limit: LimitUsage;
	    max_connections: LimitUsage;
	    data_transfer_mb: LimitUsage;
	    max_bitrate_kbps: LimitUsage;
	    autodj_quota: LimitUsage;
	    autodj: FeatureUsage;
	    proxy: FeatureUsage;
	
	    static createFrom(source: any = {}) {
	        return new ResellerUsage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.plan = this.convertValues(source["plan"], PlanRef);
	        this.server_limit = this.convertValues(source["server_limit"], LimitUsage);
	        this.max_connections = this.convertValues(source["max_connections"], LimitUsage);
	        this.data_transfer_mb = this.convertValues(source["data_transfer_mb"], LimitUsage);
	        this.max_bitrate_kbps = this.convertValues(source["max_bitrate_kbps"], LimitUsage);
	        this.autodj_quota = this.convertValues(source["autodj_quota"], LimitUsage);
	        this.autodj = this.convertValues(source["autodj"], FeatureUsage);
	        this.proxy = this.convertValues(source["proxy"], FeatureUsage);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ServiceCounts {
	    active: number;
	    suspended: number;
	
	    static createFrom(source: any = {}) {
	        return new ServiceCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.active = source["active"];
	        this.suspended = source["suspended"];
	    }
	}
	export class Overview {
	    account?: Account;
	    services: ServiceCounts;
	    reseller_usage?: ResellerUsage;
	    media: MediaSummary;
	    mail: MailCounts;
	
	    static createFrom(source: any = {}) {
	        return new Overview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = this.convertValues(source["account"], Account);
	        this.services = this.convertValues(source["services"], ServiceCounts);
	        this.reseller_usage = this.convertValues(source["reseller_usage"], ResellerUsage);
	        this.media = this.convertValues(source["media"], MediaSummary);
	        this.mail = this.convertValues(source["mail"], MailCounts);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Plan {
	    id: number;
	    name: string;
	    autodj: boolean;
	    autodj_quota?: number;
	    proxy: boolean;
	    max_connections?: number;
	    data_transfer_mb?: number;
	    max_bitrate_kbps?: number;
	    server_limit?: number;
	    resellers: number;
	    // Go type: time
	    created_at: any;
	    // Go type: time
	    updated_at: any;
	
	    static createFrom(source: any = {}) {
	        return new Plan(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.autodj = source["autodj"];
	        this.autodj_quota = source["autodj_quota"];
	        this.proxy = source["proxy"];
	        this.max_connections = source["max_connections"];
	        this.data_transfer_mb = source["data_transfer_mb"];
	        this.max_bitrate_kbps = source["max_bitrate_kbps"];
	        this.server_limit = source["server_limit"];
	        this.resellers = source["resellers"];
	        this.created_at = this.convertValues(source["created_at"], null);
	        this.updated_at = this.convertValues(source["updated_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PlanInput {
	    name?: string;
	    autodj?: boolean;
	    autodj_quota: OptionalInt;
	    proxy?: boolean;
	    max_connections: OptionalInt;
	    data_transfer_mb: OptionalInt;
	    max_bitrate_kbps: OptionalInt;
	    server_limit: OptionalInt;
	
	    static createFrom(source: any = {}) {
	        return new PlanInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.autodj = source["autodj"];
	        this.autodj_quota = this.convertValues(source["autodj_quota"], OptionalInt);
	        this.proxy = source["proxy"];
	        this.max_connections = this.convertValues(source["max_connections"], OptionalInt);
	        this.data_transfer_mb = this.convertValues(source["data_transfer_mb"], OptionalInt);
	        this.max_bitrate_kbps = this.convertValues(source["max_bitrate_kbps"], OptionalInt);
	        this.server_limit = this.convertValues(source["server_limit"], OptionalInt);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class QueuedMail {
	    mail_id: number;
	    state: string;
	    configured: boolean;
	
	    static createFrom(source: any = {}) {
	        return new QueuedMail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mail_id = source["mail_id"];
	        this.state = source["state"];
	        this.configured = source["configured"];
	    }
	}
	export class RenderedMail {
	    subject: string;
	    html: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new RenderedMail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.subject = source["subject"];
	        this.html = source["html"];
	        this.text = source["text"];
	    }
	}
	
	export class ResetInput {
	    code: string;
	    password: string;
	    password_confirm: string;
	
	    static createFrom(source: any = {}) {
	        return new ResetInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.password = source["password"];
	        this.password_confirm = source["password_confirm"];
	    }
	}
	export class Service {
	    id: number;
	    owner_id: number;
	    owner_username: string;
	    name: string;
	    type: string;
	    port: number;
	    max_connections: number;
	    bitrate_kbps: number;
	    data_transfer_mb: number;
	    autodj: boolean;
	    autodj_quota: number;
	    proxy: boolean;
	    status: string;
	    suspend_reason: string;
	    // Go type: time
	    created_at: any;
	    // Go type: time
	    updated_at: any;
	
	    static createFrom(source: any = {}) {
	        return new Service(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.owner_id = source["owner_id"];
	        this.owner_username = source["owner_username"];
	        this.name = source["name"];
	        this.type = source["type"];
	        this.port = source["port"];
	        this.max_connections = source["max_connections"];
	        this.bitrate_kbps = source["bitrate_kbps"];
	        this.data_transfer_mb = source["data_transfer_mb"];
	        this.autodj = source["autodj"];
	        this.autodj_quota = source["autodj_quota"];
	        this.proxy = source["proxy"];
	        this.status = source["status"];
	        this.suspend_reason = source["suspend_reason"];
	        this.created_at = this.convertValues(source["created_at"], null);
	        this.updated_at = this.convertValues(source["updated_at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ServiceInput {
	    owner_id?: number;
	    name?: string;
	    type?: string;
	    port?: number;
	    max_connections?: number;
	    bitrate_kbps?: number;
	    data_transfer_mb?: number;
	    autodj?: boolean;
	    autodj_quota?: number;
	    proxy?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ServiceInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.owner_id = source["owner_id"];
	        this.name = source["name"];
	        this.type = source["type"];
	        this.port = source["port"];
	        this.max_connections = source["max_connections"];
	        this.bitrate_kbps = source["bitrate_kbps"];
	        this.data_transfer_mb = source["data_transfer_mb"];
	        this.autodj = source["autodj"];
	        this.autodj_quota = source["autodj_quota"];
	        this.proxy = source["proxy"];
	    }
	}
	export class ServicePage {
	    items: Service[];
	    next_cursor: string;
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new ServicePage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Service);
	        this.next_cursor = source["next_cursor"];
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class SettingsPatch {
	    default_timezone?: string;
	    password_min_length?: number;
	    content_root?: string;
	    public_base_url?: string;
	    smtp_host?: string;
	    smtp_port?: number;
	    smtp_encryption?: string;
	    smtp_username?: string;
	    smtp_from_address?: string;
	    smtp_from_name?: string;
	    smtp_password?: string;
	
	    static createFrom(source: any = {}) {
	        return new SettingsPatch(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.default_timezone = source["default_timezone"];
	        this.password_min_length = source["password_min_length"];
	        this.content_root = source["content_root"];
	        this.public_base_url = source["public_base_url"];
	        this.smtp_host = source["smtp_host"];
	        this.smtp_port = source["smtp_port"];
	        this.smtp_encryption = source["smtp_encryption"];
	        this.smtp_username = source["smtp_username"];
	        this.smtp_from_address = source["smtp_from_address"];
	        this.smtp_from_name = source["smtp_from_name"];
	        this.smtp_password = source["smtp_password"];
	    }
	}
	export class SetupInput {
	    username: string;
	    password: string;
	    password_confirm: string;
	    name: string;
	    email: string;
	    language: string;
	
	    static createFrom(source: any = {}) {
	        return new SetupInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.password = source["password"];
	        this.password_confirm = source["password_confirm"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.language = source["language"];
	    }
	}
	export class SystemSettings {
	    default_timezone: string;
	    password_min_length: number;
	    content_root: string;
	    public_base_url: string;
	    smtp_host: string;
	    smtp_port: number;
	    smtp_encryption: string;
	    smtp_username: string;
	    smtp_from_address: string;
	    smtp_from_name: string;
	    smtp_password_set: boolean;
	    smtp_password_error?: string;
	
	    static createFrom(source: any = {}) {
	        return new SystemSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.default_timezone = source["default_timezone"];
	        this.password_min_length = source["password_min_length"];
	        this.content_root = source["content_root"];
	        this.public_base_url = source["public_base_url"];
	        this.smtp_host = source["smtp_host"];
	        this.smtp_port = source["smtp_port"];
	        this.smtp_encryption = source["smtp_encryption"];
	        this.smtp_username = source["smtp_username"];
	        this.smtp_from_address = source["smtp_from_address"];
	        this.smtp_from_name = source["smtp_from_name"];
	        this.smtp_password_set = source["smtp_password_set"];
	        this.smtp_password_error = source["smtp_password_error"];
	    }
	}
	export class TemplateInput {
	    name: string;
	    language: string;
	    subject: string;
	    html: string;
	
	    static createFrom(source: any = {}) {
	        return new TemplateInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.language = source["language"];
	        this.subject = source["subject"];
	        this.html = source["html"];
	    }
	}
	export class TemplateList {
	    items: MailTemplate[];
	
	    static createFrom(source: any = {}) {
	        return new TemplateList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], MailTemplate);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TestEmailInput {
	    to: string;
	
	    static createFrom(source: any = {}) {
	        return new TestEmailInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.to = source["to"];
	    }
	}
	export class TestEmailResult {
	    sent: boolean;
	    to: string;
	
	    static createFrom(source: any = {}) {
	        return new TestEmailResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sent = source["sent"];
	        this.to = source["to"];
	    }
	}

}

