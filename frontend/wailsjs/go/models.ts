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

}

export namespace panel {
	
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
	export class Health {
	    status: string;
	    version: string;
	    needs_setup: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Health(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.version = source["version"];
	        this.needs_setup = source["needs_setup"];
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
	export class ResellerUsage {
	    plan: AccountRef;
	
	    static createFrom(source: any = {}) {
	        return new ResellerUsage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.plan = this.convertValues(source["plan"], AccountRef);
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
	
	
	
	export class SettingsPatch {
	    default_timezone?: string;
	    password_min_length?: number;
	    content_root?: string;
	    public_base_url?: string;
	
	    static createFrom(source: any = {}) {
	        return new SettingsPatch(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.default_timezone = source["default_timezone"];
	        this.password_min_length = source["password_min_length"];
	        this.content_root = source["content_root"];
	        this.public_base_url = source["public_base_url"];
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
	
	    static createFrom(source: any = {}) {
	        return new SystemSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.default_timezone = source["default_timezone"];
	        this.password_min_length = source["password_min_length"];
	        this.content_root = source["content_root"];
	        this.public_base_url = source["public_base_url"];
	    }
	}

}

