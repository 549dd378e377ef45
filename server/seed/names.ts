/** Word lists the generator draws people and prose from. */

export const englishFirstNames = [
  'Amelia', 'Olivia', 'Isla', 'Ava', 'Mia', 'Sophia', 'Grace', 'Lily', 'Freya', 'Emily', 'Ivy', 'Ella',
  'Rosie', 'Evie', 'Florence', 'Poppy', 'Charlotte', 'Willow', 'Isabella', 'Sienna', 'Harper', 'Phoebe',
  'Alice', 'Matilda', 'Daisy', 'Ruby', 'Esme', 'Imogen', 'Eleanor', 'Hannah', 'Zara', 'Priya', 'Aisha',
  'Fatima', 'Maryam', 'Niamh', 'Siobhan', 'Chloe', 'Jessica', 'Lucy', 'Holly', 'Megan', 'Beth', 'Katie',
  'Naomi', 'Leah', 'Tamsin', 'Bethany', 'Anjali', 'Mei', 'Yasmin', 'Sofia', 'Clara', 'Hazel', 'Nadia',
  'Oliver', 'George', 'Noah', 'Arthur', 'Leo', 'Oscar', 'Harry', 'Archie', 'Jack', 'Henry', 'Theo',
  'Charlie', 'Freddie', 'Alfie', 'Thomas', 'James', 'William', 'Samuel', 'Joshua', 'Daniel', 'Max',
  'Reuben', 'Rohan', 'Arjun', 'Omar', 'Yusuf', 'Kwame', 'Tomasz', 'Luca', 'Mateo', 'Callum', 'Rhys',
  'Euan', 'Finlay', 'Ewan', 'Jamal', 'Dev', 'Kai', 'Elliot', 'Nathan', 'Ben', 'Sam', 'Alex', 'Jordan',
] as const;

export const englishLastNames = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson',
  'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson',
  'Clarke', 'Hughes', 'Edwards', 'Turner', 'Lewis', 'Hill', 'Harris', 'Martin', 'Cooper', 'Ward',
  'Morris', 'Moore', 'Clark', 'Lee', 'King', 'Baker', 'Harrison', 'Morgan', 'Allen', 'James', 'Scott',
  'Phillips', 'Watson', 'Davis', 'Parker', 'Price', 'Bennett', 'Young', 'Griffiths', 'Mitchell',
  'Kelly', 'Cook', 'Carter', 'Richardson', 'Bailey', 'Collins', 'Bell', 'Shaw', 'Murphy', 'Miller',
  'Cox', 'Richards', 'Khan', 'Marshall', 'Anderson', 'Simpson', 'Ellis', 'Adams', 'Singh', 'Begum',
  'Wilkinson', 'Foster', 'Chapman', 'Powell', 'Webb', 'Rogers', 'Gray', 'Mason', 'Ali', 'Hunt',
  'Hussain', 'Campbell', 'Matthews', 'Owen', 'Palmer', 'Holmes', 'Mills', 'Barnes', 'Knight', 'Lloyd',
  'Butler', 'Russell', 'Barker', 'Fisher', 'Stevens', 'Jenkins', 'Murray', 'Dixon', 'Harvey', "O'Brien",
  'Nowak', 'Okafor', 'Mensah', 'Chen', 'Nguyen', 'Kowalski', 'Rossi', 'Fernandes', 'Da Silva', 'Ahmed',
] as const;

export const germanFirstNames = [
  'Anna', 'Lena', 'Sophie', 'Marie', 'Lea', 'Hannah', 'Mia', 'Emilia', 'Clara', 'Johanna', 'Greta',
  'Paula', 'Frieda', 'Luisa', 'Katharina', 'Julia', 'Sarah', 'Laura', 'Nele', 'Merle', 'Lukas', 'Jonas',
  'Leon', 'Felix', 'Paul', 'Maximilian', 'Elias', 'Noah', 'Finn', 'Moritz', 'Jan', 'Tobias', 'Niklas',
] as const;

export const germanLastNames = [
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz',
  'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz',
  'Zimmermann', 'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Krause', 'Yilmaz',
] as const;

export const englishEmailDomains = [
  ['gmail.com', 30], ['outlook.com', 10], ['hotmail.co.uk', 10], ['icloud.com', 12], ['yahoo.co.uk', 6],
  ['btinternet.com', 4], ['proton.me', 3], ['live.co.uk', 3], ['me.com', 3], ['sky.com', 2],
] as const;

export const germanEmailDomains = [
  ['gmx.de', 20], ['web.de', 20], ['gmail.com', 20], ['t-online.de', 10], ['posteo.de', 5], ['icloud.com', 5],
] as const;

/** Where customers first heard of the studio: source, the campaigns it ran, what referred them. */
export const attributionSources = [
  ['instagram', 28], ['google', 24], ['referral', 18], ['walk_in', 10], ['classpass', 8], ['facebook', 7], ['tiktok', 5],
] as const;

export const campaigns: Record<string, readonly string[]> = {
  instagram: ['spring_intro_offer', 'reformer_launch', 'new_year_new_you'],
  google: ['brand_search', 'yoga_near_me', 'pilates_london'],
  facebook: ['summer_bundle', 'retarget_intro'],
  tiktok: ['barre_challenge'],
  classpass: ['classpass_partner'],
};

export const referrers: Record<string, readonly string[]> = {
  instagram: ['https://www.instagram.com/', 'https://l.instagram.com/'],
  google: ['https://www.google.com/', 'https://www.google.co.uk/'],
  facebook: ['https://m.facebook.com/', 'https://www.facebook.com/'],
  tiktok: ['https://www.tiktok.com/'],
  classpass: ['https://classpass.com/'],
};

export const noteBodies = [
  'Recovering from a knee injury — offer modifications in lunges and jumps.',
  'Pregnant (second trimester). Cleared by GP for low-impact classes; no hot room.',
  'Prefers a spot near the window; finds the front row stressful.',
  'Asked about the teacher training course starting in the autumn — follow up.',
  'Called about a double charge on the 10 Class Pack; refund confirmed by the bank, nothing to do here.',
  'Lower back issues; recommended Yin and Hatha Basics over Power Yoga.',
  'Bringing a friend next week for the intro offer — make sure the friend signs the waiver at the desk.',
  'Left a water bottle and a grey hoodie in Studio 2; both in lost property.',
  'Works shifts, so often books late; be flexible with the waitlist if possible.',
  'Gave feedback that the 19:15 Vinyasa is too crowded; passed on to the manager.',
  'Corporate member through Harlow & Finch — invoice goes to their HR team, not to the customer.',
  'Allergic to lavender — no essential oils during savasana please.',
  'Asked for their data to be exported; pointed them to the account export in the app.',
  'Wants to pause the membership for three weeks in August (travelling). Agreed in principle.',
] as const;

export const creditAdditions = [
  'Courtesy credit: class cancelled by the studio (instructor ill)',
  'Goodwill credit after the booking system outage',
  'Credit promised at the front desk for a double booking we caused',
  'Compensation for the heating failure in Studio 2',
  'Referral reward: brought a friend who bought a pack',
] as const;

export const creditRemovals = [
  'Correcting a duplicate credit added in error',
  'Attended without booking; agreed with the customer to take the credit',
  'Reversing a goodwill credit that was applied twice',
  'Shared pass used by a friend; removed with the customer\u2019s agreement',
] as const;

export const expiryExtensions = [
  'Extended after an injury — doctor\u2019s note seen at the desk',
  'Extended while the studio was closed for refurbishment',
  'Extended: customer was abroad for a family emergency',
] as const;

export const couponRemovals = [
  'Added to the wrong customer',
  'Coupon not valid with the intro offer',
  'Customer asked for it to be removed before switching plans',
] as const;

export const couponReasons = [
  'Welcome offer from the front desk',
  'Apology for a cancelled class',
  'Staff referral',
  'Corporate partnership',
  'Birthday treat',
] as const;

export const refundReasons = [
  'Customer moved away from the area',
  'Bought the wrong pack by mistake',
  'Medical reasons — doctor’s note on file',
  'Duplicate purchase at checkout',
] as const;

export const lateWaivers = [
  'Stuck on a delayed train, showed the ticket',
  'Child taken ill, first late cancellation this year',
  'Class time changed by the studio the day before',
] as const;
