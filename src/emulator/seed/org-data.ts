// The reference data seeded organisations are drawn from: departments with their job titles and
// licence mix, offices with their locale, and personal names.

export const DEPARTMENTS = ['Sales', 'Marketing', 'Finance', 'HR', 'R&D', 'IT', 'Operations'] as const;
export type Department = (typeof DEPARTMENTS)[number];
/** The CEO's department (and an executive assistant's); not one of the staffed departments. */
export const EXECUTIVE = 'Executive';

export type PartNumber =
  | 'O365_BUSINESS_ESSENTIALS' | 'O365_BUSINESS_PREMIUM' | 'SPB' | 'ENTERPRISEPACK' | 'ENTERPRISEPREMIUM'
  | 'SPE_E3' | 'SPE_E5' | 'VISIOCLIENT' | 'POWER_BI_PRO';

type Weighted<T> = ReadonlyArray<readonly [T, number]>;

export interface DepartmentProfile {
  /** Share of generated staff. */
  share: number;
  headTitle: string;
  titles: Weighted<string>;
  division: string;
  costCenter: string;
  /** Exchange-bearing licence mix of staff in an enterprise tenant. */
  licences: Weighted<PartNumber>;
}

export const departmentProfiles: Record<Department, DepartmentProfile> = {
  Sales: {
    share: 0.22, headTitle: 'Vice President of Sales', division: 'Commercial', costCenter: 'CC-1100',
    titles: [['Account Executive', 30], ['Sales Representative', 25], ['Senior Account Executive', 12], ['Sales Development Representative', 15], ['Account Manager', 12], ['Sales Operations Analyst', 6]],
    licences: [['ENTERPRISEPACK', 60], ['SPE_E3', 35], ['SPE_E5', 5]],
  },
  Marketing: {
    share: 0.12, headTitle: 'Marketing Director', division: 'Commercial', costCenter: 'CC-1200',
    titles: [['Marketing Specialist', 25], ['Content Marketing Manager', 10], ['Digital Marketing Specialist', 20], ['Product Marketing Manager', 12], ['Brand Manager', 8], ['Marketing Coordinator', 20], ['Graphic Designer', 10]],
    licences: [['ENTERPRISEPACK', 40], ['O365_BUSINESS_PREMIUM', 30], ['SPE_E3', 30]],
  },
  Finance: {
    share: 0.1, headTitle: 'Chief Financial Officer', division: 'Corporate', costCenter: 'CC-2100',
    titles: [['Financial Analyst', 30], ['Accountant', 30], ['Senior Accountant', 12], ['Payroll Specialist', 10], ['Financial Controller', 5], ['Accounts Payable Specialist', 13]],
    licences: [['SPE_E3', 90], ['SPE_E5', 10]],
  },
  HR: {
    share: 0.06, headTitle: 'HR Director', division: 'Corporate', costCenter: 'CC-2200',
    titles: [['HR Generalist', 30], ['Recruiter', 30], ['HR Business Partner', 20], ['Talent Acquisition Specialist', 15], ['Compensation Analyst', 5]],
    licences: [['SPE_E3', 100]],
  },
  'R&D': {
    share: 0.24, headTitle: 'Director of Research & Development', division: 'Product', costCenter: 'CC-3100',
    titles: [['Software Engineer', 30], ['Senior Software Engineer', 20], ['Research Scientist', 10], ['QA Engineer', 12], ['Product Designer', 8], ['Data Scientist', 8], ['Engineering Manager', 6], ['Hardware Engineer', 6]],
    licences: [['SPE_E3', 85], ['ENTERPRISEPREMIUM', 15]],
  },
  IT: {
    share: 0.1, headTitle: 'IT Director', division: 'Corporate', costCenter: 'CC-2300',
    titles: [['Systems Administrator', 25], ['Service Desk Analyst', 30], ['Network Engineer', 12], ['Security Analyst', 12], ['Cloud Engineer', 12], ['IT Support Specialist', 9]],
    licences: [['SPE_E5', 45], ['SPE_E3', 55]],
  },
  Operations: {
    share: 0.16, headTitle: 'Operations Director', division: 'Operations', costCenter: 'CC-4100',
    titles: [['Operations Coordinator', 20], ['Logistics Specialist', 18], ['Supply Chain Planner', 15], ['Warehouse Supervisor', 12], ['Procurement Specialist', 15], ['Facilities Coordinator', 10], ['Administrative Assistant', 10]],
    licences: [['SPB', 35], ['O365_BUSINESS_ESSENTIALS', 40], ['SPE_E3', 25]],
  },
};

/** Titles whose holders administer IT (members of "IT Admins"). */
export const adminTitles = new Set(['Systems Administrator', 'Cloud Engineer', 'Network Engineer', 'Security Analyst']);

export interface Office {
  officeLocation: string;
  city: string;
  country: string;
  usageLocation: string;
  share: number;
  /** Exchange time zone name. */
  timeZone: string;
  language: string;
  /** Phone number for a 4-digit subscriber part. */
  phone: (n: number) => string;
  mobile: (n: number) => string;
}

const d4 = (n: number) => String(n % 10000).padStart(4, '0');

export const offices: readonly Office[] = [
  { officeLocation: 'Seattle HQ', city: 'Seattle', country: 'United States', usageLocation: 'US', share: 0.3, timeZone: 'Pacific Standard Time', language: 'en-US', phone: (n) => `+1 206 555 ${d4(n)}`, mobile: (n) => `+1 425 555 ${d4(n)}` },
  { officeLocation: 'New York', city: 'New York', country: 'United States', usageLocation: 'US', share: 0.15, timeZone: 'Eastern Standard Time', language: 'en-US', phone: (n) => `+1 212 555 ${d4(n)}`, mobile: (n) => `+1 917 555 ${d4(n)}` },
  { officeLocation: 'London', city: 'London', country: 'United Kingdom', usageLocation: 'GB', share: 0.2, timeZone: 'GMT Standard Time', language: 'en-GB', phone: (n) => `+44 20 7946 ${d4(n)}`, mobile: (n) => `+44 7700 90${d4(n)}` },
  { officeLocation: 'Berlin', city: 'Berlin', country: 'Germany', usageLocation: 'DE', share: 0.1, timeZone: 'W. Europe Standard Time', language: 'de-DE', phone: (n) => `+49 30 5557 ${d4(n)}`, mobile: (n) => `+49 151 5550 ${d4(n)}` },
  { officeLocation: 'Munich', city: 'Munich', country: 'Germany', usageLocation: 'DE', share: 0.05, timeZone: 'W. Europe Standard Time', language: 'de-DE', phone: (n) => `+49 89 5557 ${d4(n)}`, mobile: (n) => `+49 160 5550 ${d4(n)}` },
  { officeLocation: 'Amsterdam', city: 'Amsterdam', country: 'Netherlands', usageLocation: 'NL', share: 0.1, timeZone: 'W. Europe Standard Time', language: 'nl-NL', phone: (n) => `+31 20 555 ${d4(n)}`, mobile: (n) => `+31 6 5555 ${d4(n)}` },
  { officeLocation: 'Paris', city: 'Paris', country: 'France', usageLocation: 'FR', share: 0.1, timeZone: 'Romance Standard Time', language: 'fr-FR', phone: (n) => `+33 1 55 55 ${d4(n).slice(0, 2)} ${d4(n).slice(2)}`, mobile: (n) => `+33 6 55 55 ${d4(n).slice(0, 2)} ${d4(n).slice(2)}` },
];

export const firstNames: readonly string[] = [
  'Aaron', 'Abigail', 'Adam', 'Adrian', 'Aisha', 'Alan', 'Albert', 'Alice', 'Amelia', 'Amir', 'Ana', 'Andrea',
  'Andrew', 'Anna', 'Anton', 'Arjun', 'Astrid', 'Ben', 'Bianca', 'Bruno', 'Camille', 'Carla', 'Caroline', 'Charlotte',
  'Chen', 'Chloe', 'Chris', 'Claire', 'Daniel', 'David', 'Dmitri', 'Elena', 'Eliza', 'Emma', 'Eric', 'Erik',
  'Fatima', 'Felix', 'Fiona', 'Florian', 'Francesca', 'Gabriel', 'George', 'Grace', 'Hannah', 'Hassan', 'Helen', 'Hugo',
  'Ines', 'Isabel', 'Ivan', 'Jack', 'Jakob', 'James', 'Jana', 'Jasmine', 'Javier', 'Jessica', 'Jonas', 'Jordan',
  'Julia', 'Julien', 'Kai', 'Karen', 'Kenji', 'Laura', 'Lea', 'Leon', 'Liam', 'Lina', 'Lisa', 'Lucas',
  'Lucy', 'Luis', 'Maria', 'Mark', 'Marta', 'Martin', 'Mateo', 'Max', 'Maya', 'Mei', 'Michael', 'Mila',
  'Mohammed', 'Nadia', 'Natalie', 'Nina', 'Noah', 'Nora', 'Oliver', 'Olivia', 'Omar', 'Oscar', 'Paul', 'Pedro',
  'Peter', 'Priya', 'Rachel', 'Rahul', 'Raphael', 'Rebecca', 'Robert', 'Rosa', 'Ryan', 'Samuel', 'Sara', 'Sean',
  'Sebastian', 'Sofia', 'Sophie', 'Stefan', 'Susan', 'Thomas', 'Tim', 'Tobias', 'Valentina', 'Victor', 'Wei', 'William',
  'Yara', 'Yusuf', 'Zoe', 'Lars', 'Ingrid', 'Marco', 'Giulia', 'Pieter', 'Sanne', 'Daan', 'Emeka', 'Chidi',
];

export const lastNames: readonly string[] = [
  'Adams', 'Ahmed', 'Alvarez', 'Andersen', 'Bakker', 'Baker', 'Becker', 'Bernard', 'Bianchi', 'Brown', 'Campbell', 'Carter',
  'Chen', 'Clark', 'Collins', 'Costa', 'Davies', 'de Jong', 'de Vries', 'Dubois', 'Evans', 'Fischer', 'Fontaine', 'Garcia',
  'Gonzalez', 'Green', 'Hall', 'Hansen', 'Harris', 'Hoffmann', 'Hughes', 'Ito', 'Jackson', 'Jansen', 'Johnson', 'Jones',
  'Kaur', 'Khan', 'Kim', 'King', 'Klein', 'Koch', 'Kowalski', 'Kumar', 'Laurent', 'Lee', 'Lefebvre', 'Lewis',
  'Li', 'Lopez', 'Martin', 'Martinez', 'Meyer', 'Miller', 'Moore', 'Moreau', 'Morgan', 'Murphy', 'Nakamura', 'Nguyen',
  'Novak', 'O\'Brien', 'Okafor', 'Olsen', 'Patel', 'Perez', 'Peters', 'Petrov', 'Phillips', 'Richter', 'Roberts', 'Robinson',
  'Rodriguez', 'Romano', 'Rossi', 'Roux', 'Schmidt', 'Schneider', 'Schulz', 'Scott', 'Shah', 'Silva', 'Singh', 'Smith',
  'Sousa', 'Stewart', 'Suzuki', 'Tanaka', 'Taylor', 'Thomas', 'Thompson', 'Turner', 'van Dijk', 'Visser', 'Wagner', 'Walker',
  'Wang', 'Watson', 'Weber', 'White', 'Williams', 'Wilson', 'Wong', 'Wright', 'Yamamoto', 'Young', 'Zhang', 'Zimmermann',
  'Bergström', 'Lindqvist', 'Müller', 'Hernández', 'Nowak', 'Eriksen', 'Mendoza', 'Castillo', 'Ortiz', 'Popescu', 'Horvat', 'Dimitrov',
];

/** Domains external guests come from. */
export const guestDomains: readonly string[] = ['fabrikam.com', 'northwindtraders.com', 'adatum.com', 'litwareinc.com', 'woodgrovebank.com', 'proseware.com'];

const nickCache = new Map<string, string>();

/** A mail nickname part from a name: lower case ASCII, diacritics and punctuation dropped. */
export function nicknamePart(name: string): string {
  let n = nickCache.get(name);
  if (n === undefined) {
    n = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss').toLowerCase().replace(/[^a-z0-9]/g, '');
    if (nickCache.size < 10_000) nickCache.set(name, n);
  }
  return n;
}
