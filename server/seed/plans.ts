import {
  englishEmailDomains, englishFirstNames, englishLastNames, germanEmailDomains, germanFirstNames, germanLastNames,
} from './names.ts';
import { englishPhotoConsent, englishTerms, englishWaiver, germanTerms, germanWaiver } from './policy-texts.ts';
import type { Random } from './random.ts';

/** What the generator builds a studio from: plain data, one plan per tenant. */

/** How customers come to buy a product: the first visit, a pack, a membership, or an extra. */
export type ProductUse = 'dropin' | 'intro' | 'pack' | 'membership' | 'extra';

export interface ProductPlan {
  key: string;
  name: string;
  kind: 'pass' | 'membership' | 'bundle' | 'retail' | 'gift_card' | 'video';
  credits: number | null;
  validityDays: number | null;
  price: number;
  /** Empty covers every class type. */
  classTypes: string[];
  billingCycleDays: number | null;
  rolloverCap: number | null;
  introOffer: boolean;
  active: boolean;
  use: ProductUse;
  /** How often it is chosen among products of the same use. */
  weight: number;
}

export interface ClassTemplate {
  name: string;
  type: string;
  duration: number;
  capacity: readonly [number, number];
  cost: number;
  /** Runs in its own room whatever room's timetable it is on (the reformers live in one room). */
  location?: string;
}

export interface PolicyPlan {
  name: string;
  kind: 'waiver' | 'terms' | 'photo_consent';
  required: boolean;
  versions: { title: string; body: string; daysAgo: number }[];
}

export interface CouponPlan {
  code: string;
  name: string;
  percentOff: number | null;
  amountOff: number | null;
  duration: 'once' | 'repeating' | 'forever';
  durationMonths: number | null;
  /** Days from now; negative means it has already run out. */
  validUntilDays: number | null;
  maxRedemptions: number | null;
  stackable: boolean;
  active: boolean;
  createdDaysAgo: number;
}

export interface StaffPlan {
  id: string;
  name: string;
  role: 'owner' | 'manager' | 'front_desk' | 'instructor';
  active: boolean;
  /** Class types an instructor teaches. */
  teaches: string[];
}

export interface TenantPlan {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  locale: string;
  embedOrigins: string[];
  freeCancelHours: number;
  createdDaysAgo: number;
  staffEmailDomain: string;
  staff: StaffPlan[];
  /** Visiting teachers who are not staff members. */
  guestTeachers: string[];
  products: ProductPlan[];
  templates: ClassTemplate[];
  weekdaySlots: readonly (readonly [number, number])[];
  weekendSlots: readonly (readonly [number, number])[];
  appointment: (ClassTemplate & { perWeek: number }) | null;
  course: (ClassTemplate & { weeks: number; everyWeeks: number; weekday: number; hour: number; minute: number }) | null;
  rooms: string[];
  /** One room's timetable serves about this many customers; more customers open more rooms. */
  customersPerRoom: number;
  policies: PolicyPlan[];
  coupons: CouponPlan[];
  people: {
    first: readonly string[];
    last: readonly string[];
    domains: readonly (readonly [string, number])[];
    mobile(random: Random): string;
  };
}

const product = (p: Partial<ProductPlan> & Pick<ProductPlan, 'key' | 'name' | 'kind' | 'price' | 'use'>): ProductPlan => ({
  credits: null, validityDays: null, classTypes: [], billingCycleDays: null, rolloverCap: null,
  introOffer: false, active: true, weight: 1, ...p,
});

const coupon = (c: Partial<CouponPlan> & Pick<CouponPlan, 'code' | 'name' | 'duration'>): CouponPlan => ({
  percentOff: null, amountOff: null, durationMonths: null, validUntilDays: null, maxRedemptions: null,
  stackable: false, active: true, createdDaysAgo: 900, ...c,
});

const digits = (random: Random, n: number) => Array.from({ length: n }, () => random.int(0, 9)).join('');

const demoName = 'Lotus & Iron Studio';

export const demoPlan: TenantPlan = {
  id: 'biz_demo',
  name: demoName,
  currency: 'GBP',
  timezone: 'Europe/London',
  locale: 'en-GB',
  embedOrigins: ['http://127.0.0.1:8787', 'http://localhost:8787', 'http://127.0.0.1:8790', 'http://localhost:8790'],
  freeCancelHours: 12,
  createdDaysAgo: 1100,
  staffEmailDomain: 'lotusandiron.co.uk',
  staff: [
    { id: 'staff_demoowner0000001', name: 'Maya Okonjo', role: 'owner', active: true, teaches: ['yoga'] },
    { id: 'staff_demomanager00001', name: 'Daniel Reyes', role: 'manager', active: true, teaches: [] },
    { id: 'staff_demodesk00000001', name: 'Chloe Barnes', role: 'front_desk', active: true, teaches: [] },
    { id: 'staff_demodesk00000002', name: 'Sam Whitfield', role: 'front_desk', active: true, teaches: [] },
    { id: 'staff_demoteach0000001', name: 'Priya Sharma', role: 'instructor', active: true, teaches: ['yoga'] },
    { id: 'staff_demoteach0000002', name: 'Jess Holloway', role: 'instructor', active: true, teaches: ['pilates', 'barre'] },
    { id: 'staff_demoteach0000003', name: 'Tomás Álvarez', role: 'instructor', active: true, teaches: ['dance'] },
    { id: 'staff_demoteach0000004', name: 'Naomi Clarke', role: 'instructor', active: true, teaches: ['barre', 'pilates'] },
    { id: 'staff_demoteach0000005', name: 'Kofi Mensah', role: 'instructor', active: true, teaches: ['hiit', 'yoga'] },
    { id: 'staff_demoteach0000006', name: 'Ellie Morgan', role: 'instructor', active: false, teaches: ['yoga', 'pilates'] },
  ],
  guestTeachers: ['Rosa Lindqvist', 'Marcus Adeyemi'],
  products: [
    product({ key: 'dropin', name: 'Drop-in Class', kind: 'pass', credits: 1, validityDays: 30, price: 1600, use: 'dropin' }),
    product({
      key: 'intro', name: 'Intro Offer: 3 Classes', kind: 'pass', credits: 3, validityDays: 14, price: 2500,
      introOffer: true, use: 'intro',
    }),
    product({ key: 'pack5', name: '5 Class Pack', kind: 'pass', credits: 5, validityDays: 60, price: 7000, use: 'pack', weight: 4 }),
    product({ key: 'pack10', name: '10 Class Pack', kind: 'pass', credits: 10, validityDays: 90, price: 13000, use: 'pack', weight: 5 }),
    product({ key: 'pack20', name: '20 Class Pack', kind: 'pass', credits: 20, validityDays: 180, price: 24000, use: 'pack', weight: 2 }),
    product({
      key: 'pilatesbarre10', name: 'Pilates & Barre 10', kind: 'pass', credits: 10, validityDays: 90, price: 14500,
      classTypes: ['pilates', 'barre'], use: 'pack', weight: 2,
    }),
    product({
      key: 'bundle', name: 'Starter Bundle: 10 Classes + Grip Socks', kind: 'bundle', credits: 10, validityDays: 120,
      price: 14000, use: 'pack', weight: 1,
    }),
    product({
      key: 'unlimited', name: 'Unlimited Monthly', kind: 'membership', price: 13900, billingCycleDays: 30,
      use: 'membership', weight: 3,
    }),
    product({
      key: 'member8', name: '8 Classes a Month', kind: 'membership', credits: 8, price: 9900, billingCycleDays: 30,
      rolloverCap: 4, use: 'membership', weight: 4,
    }),
    product({
      key: 'member12', name: '12 Classes a Month', kind: 'membership', credits: 12, price: 12500, billingCycleDays: 30,
      rolloverCap: 4, use: 'membership', weight: 3,
    }),
    product({
      key: 'summer', name: 'Summer Unlimited 2024', kind: 'membership', price: 9900, billingCycleDays: 30,
      active: false, use: 'membership', weight: 0,
    }),
    product({ key: 'socks', name: 'Grip Socks', kind: 'retail', price: 1200, use: 'extra', weight: 5 }),
    product({ key: 'bottle', name: 'Lotus & Iron Water Bottle', kind: 'retail', price: 1800, use: 'extra', weight: 3 }),
    product({ key: 'block', name: 'Cork Yoga Block', kind: 'retail', price: 1500, use: 'extra', weight: 2 }),
    product({ key: 'mat', name: 'Travel Yoga Mat', kind: 'retail', price: 4500, use: 'extra', weight: 1 }),
    product({ key: 'gift50', name: 'Gift Card £50', kind: 'gift_card', price: 5000, use: 'extra', weight: 2 }),
    product({ key: 'gift100', name: 'Gift Card £100', kind: 'gift_card', price: 10000, use: 'extra', weight: 1 }),
    product({
      key: 'ondemand', name: 'On-Demand Library (30 days)', kind: 'video', validityDays: 30, price: 1500,
      use: 'extra', weight: 2,
    }),
    product({ key: 'series', name: 'Pilates Foundations Video Series', kind: 'video', price: 3500, use: 'extra', weight: 1 }),
  ],
  templates: [
    { name: 'Vinyasa Flow', type: 'yoga', duration: 60, capacity: [16, 24], cost: 1 },
    { name: 'Yin Yoga', type: 'yoga', duration: 75, capacity: [14, 20], cost: 1 },
    { name: 'Hatha Basics', type: 'yoga', duration: 60, capacity: [14, 20], cost: 1 },
    { name: 'Power Yoga', type: 'yoga', duration: 60, capacity: [16, 22], cost: 1 },
    { name: 'Hot Vinyasa', type: 'yoga', duration: 60, capacity: [12, 18], cost: 1, location: 'Hot Room' },
    { name: 'Mat Pilates', type: 'pilates', duration: 50, capacity: [12, 18], cost: 1 },
    { name: 'Reformer Pilates', type: 'pilates', duration: 50, capacity: [6, 10], cost: 2, location: 'Reformer Room' },
    { name: 'Barre Burn', type: 'barre', duration: 45, capacity: [12, 18], cost: 1 },
    { name: 'Barre Sculpt', type: 'barre', duration: 50, capacity: [12, 18], cost: 1 },
    { name: 'Contemporary Dance', type: 'dance', duration: 75, capacity: [14, 20], cost: 1 },
    { name: 'Salsa Beginners', type: 'dance', duration: 60, capacity: [16, 24], cost: 1 },
    { name: 'Heels Choreo', type: 'dance', duration: 60, capacity: [12, 18], cost: 1 },
    { name: 'HIIT Circuit', type: 'hiit', duration: 45, capacity: [14, 20], cost: 1 },
    { name: 'Tabata Blast', type: 'hiit', duration: 30, capacity: [14, 20], cost: 1 },
  ],
  weekdaySlots: [[6, 45], [9, 30], [12, 30], [17, 45], [19, 0], [20, 15]],
  weekendSlots: [[9, 0], [10, 30], [12, 0], [16, 0]],
  appointment: { name: 'Private Pilates (1:1)', type: 'pilates', duration: 55, capacity: [1, 1], cost: 3, perWeek: 3 },
  course: {
    name: 'Beginners\u2019 Yoga Course', type: 'yoga', duration: 75, capacity: [10, 12], cost: 1,
    weeks: 6, everyWeeks: 8, weekday: 3, hour: 20, minute: 30,
  },
  rooms: ['Studio 1', 'Studio 2', 'Studio 3'],
  customersPerRoom: 1500,
  policies: [
    {
      name: 'Liability Waiver', kind: 'waiver', required: true,
      versions: englishWaiver(demoName).map((body, i) => ({
        title: `Liability Waiver v${i + 1}`, body, daysAgo: [1100, 420, 120][i],
      })),
    },
    {
      name: 'Terms of Service', kind: 'terms', required: true,
      versions: englishTerms(demoName).map((body, i) => ({
        title: `Terms of Service v${i + 1}`, body, daysAgo: [1100, 240][i],
      })),
    },
    {
      name: 'Photo Consent', kind: 'photo_consent', required: false,
      versions: englishPhotoConsent(demoName).map((body) => ({ title: 'Photo and Video Consent', body, daysAgo: 1100 })),
    },
  ],
  coupons: [
    coupon({ code: 'WELCOME10', name: 'Welcome 10% off', percentOff: 10, duration: 'once' }),
    coupon({ code: 'FRIEND5', name: '£5 off for friends', amountOff: 500, duration: 'once', stackable: true }),
    coupon({ code: 'STUDENT15', name: 'Student discount', percentOff: 15, duration: 'forever' }),
    coupon({ code: 'CORPORATE20', name: 'Corporate partner 20%', percentOff: 20, duration: 'repeating', durationMonths: 3 }),
    coupon({
      code: 'SUMMER25', name: 'Summer sale 25%', percentOff: 25, duration: 'once', validUntilDays: -200,
      maxRedemptions: 150, createdDaysAgo: 290,
    }),
    coupon({
      code: 'BLACKFRIDAY40', name: 'Black Friday 40%', percentOff: 40, duration: 'once', validUntilDays: -300,
      maxRedemptions: 100, active: false, createdDaysAgo: 330,
    }),
    coupon({
      code: 'NEWYEAR50', name: 'New Year: half price for 2 months', percentOff: 50, duration: 'repeating',
      durationMonths: 2, validUntilDays: -30, createdDaysAgo: 75,
    }),
    coupon({
      code: 'LOYALTY10', name: '£10 loyalty reward', amountOff: 1000, duration: 'once', validUntilDays: 90,
      maxRedemptions: 50, stackable: true, createdDaysAgo: 60,
    }),
  ],
  people: {
    first: englishFirstNames,
    last: englishLastNames,
    domains: englishEmailDomains,
    mobile: (random) => (random.chance(0.85) ? `07${digits(random, 3)} ${digits(random, 6)}` : `+44 7${digits(random, 3)} ${digits(random, 6)}`),
  },
};

const otherName = 'Tanzwerk Kreuzberg';

/** A second business, so that tests can show one tenant never sees the other's data. */
export const otherPlan: TenantPlan = {
  id: 'biz_other',
  name: otherName,
  currency: 'EUR',
  timezone: 'Europe/Berlin',
  locale: 'de-DE',
  embedOrigins: ['http://127.0.0.1:8788'],
  freeCancelHours: 24,
  createdDaysAgo: 800,
  staffEmailDomain: 'tanzwerk-kreuzberg.de',
  staff: [
    { id: 'staff_otherowner000001', name: 'Katrin Vogel', role: 'owner', active: true, teaches: ['dance'] },
    { id: 'staff_otherdesk0000001', name: 'Jonas Brandt', role: 'front_desk', active: true, teaches: [] },
    { id: 'staff_otherteach000001', name: 'Aylin Demir', role: 'instructor', active: true, teaches: ['dance', 'yoga'] },
  ],
  guestTeachers: [],
  products: [
    product({ key: 'dropin', name: 'Einzelstunde', kind: 'pass', credits: 1, validityDays: 30, price: 1800, use: 'dropin' }),
    product({
      key: 'intro', name: 'Schnupperangebot: 2 Stunden', kind: 'pass', credits: 2, validityDays: 14, price: 1500,
      introOffer: true, use: 'intro',
    }),
    product({ key: 'pack10', name: '10er-Karte', kind: 'pass', credits: 10, validityDays: 120, price: 15000, use: 'pack' }),
    product({
      key: 'unlimited', name: 'Monatsabo Unlimited', kind: 'membership', price: 8900, billingCycleDays: 30,
      use: 'membership',
    }),
    product({ key: 'shirt', name: 'Tanzwerk T-Shirt', kind: 'retail', price: 2500, use: 'extra' }),
  ],
  templates: [
    { name: 'Contemporary', type: 'dance', duration: 90, capacity: [12, 16], cost: 1 },
    { name: 'Ballett für Erwachsene', type: 'dance', duration: 75, capacity: [10, 14], cost: 1 },
    { name: 'Hip-Hop', type: 'dance', duration: 60, capacity: [14, 20], cost: 1 },
    { name: 'Yoga am Morgen', type: 'yoga', duration: 60, capacity: [10, 14], cost: 1 },
  ],
  weekdaySlots: [[18, 0], [19, 30]],
  weekendSlots: [[11, 0]],
  appointment: null,
  course: null,
  rooms: ['Saal 1'],
  customersPerRoom: 1000,
  policies: [
    {
      name: 'Haftungsausschluss', kind: 'waiver', required: true,
      versions: germanWaiver(otherName).map((body) => ({ title: 'Haftungsausschluss', body, daysAgo: 800 })),
    },
    {
      name: 'AGB', kind: 'terms', required: true,
      versions: germanTerms(otherName).map((body) => ({ title: 'Allgemeine Geschäftsbedingungen', body, daysAgo: 800 })),
    },
  ],
  coupons: [
    coupon({ code: 'WILLKOMMEN', name: 'Willkommensrabatt 10 %', percentOff: 10, duration: 'once' }),
    coupon({
      code: 'SOMMER15', name: 'Sommeraktion 15 %', percentOff: 15, duration: 'once', validUntilDays: -150,
      createdDaysAgo: 240,
    }),
  ],
  people: {
    first: germanFirstNames,
    last: germanLastNames,
    domains: germanEmailDomains,
    mobile: (random) => `+49 15${random.int(1, 9)} ${digits(random, 7)}`,
  },
};
