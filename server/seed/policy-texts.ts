/** The wording of the demo studios' waivers and terms, version by version. */

const waiverIntro = (studio: string) =>
  `I understand that yoga, Pilates, barre, dance and high-intensity classes at ${studio} are physical ` +
  `activities that carry a risk of injury, and I take part voluntarily and at my own risk.`;

export const englishWaiver = (studio: string): string[] => [
  `${waiverIntro(studio)}\n\nI confirm that I am in good health and have no condition that prevents me from ` +
    `exercising. I will tell the instructor before class about any injury or condition.\n\n` +
    `${studio} is not liable for loss of or damage to personal belongings.`,
  `${waiverIntro(studio)}\n\nI confirm that I am in good health, or that a doctor has cleared me to exercise. ` +
    `I will tell the instructor before class about any injury, pregnancy or medical condition and I will ` +
    `stop if I feel pain, dizziness or shortness of breath.\n\nReformer equipment must only be used under ` +
    `the supervision of an instructor.\n\n${studio} is not liable for loss of or damage to personal belongings.`,
  `${waiverIntro(studio)}\n\nI confirm that I am in good health, or that a doctor has cleared me to exercise. ` +
    `I will tell the instructor before class about any injury, pregnancy or medical condition and I will ` +
    `stop if I feel pain, dizziness or shortness of breath.\n\nReformer equipment must only be used under ` +
    `the supervision of an instructor. Heated classes run at 32–35 °C: I will stay hydrated and leave the ` +
    `room if I feel unwell.\n\nI consent to ${studio} contacting my emergency contact if I am taken ill.\n\n` +
    `${studio} is not liable for loss of or damage to personal belongings, except where the law says otherwise.`,
];

export const englishTerms = (studio: string): string[] => [
  `1. Class packs are valid for the period stated at purchase and are not transferable.\n` +
    `2. Cancel at least 12 hours before a class to get your credit back; later cancellations and no-shows ` +
    `use the credit.\n3. Memberships renew every 30 days until cancelled.\n` +
    `4. ${studio} may change the timetable and instructors.`,
  `1. Class packs are valid for the period stated at purchase and are not transferable.\n` +
    `2. Cancel at least 12 hours before a class to get your credit back; later cancellations and no-shows ` +
    `use the credit.\n3. Memberships renew every 30 days until cancelled. Credit memberships roll over up ` +
    `to 4 unused credits into the next cycle; the rest expire.\n4. Memberships may be paused once a year ` +
    `for up to 4 weeks.\n5. ${studio} may change the timetable and instructors; if we cancel a class, your ` +
    `credit is returned.\n6. Refunds of unused packs within 14 days of purchase, minus credits used.`,
];

export const englishPhotoConsent = (studio: string): string[] => [
  `I agree that ${studio} may take photos and short videos during classes and use them on its website ` +
    `and social media. I can withdraw this consent at any time at the front desk or by email.`,
];

export const germanWaiver = (studio: string): string[] => [
  `Ich nehme freiwillig und auf eigene Gefahr an den Kursen von ${studio} teil. Ich bestätige, dass ich ` +
    `gesund bin, und informiere die Kursleitung vor Beginn über Verletzungen oder Beschwerden. ` +
    `${studio} haftet nicht für den Verlust persönlicher Gegenstände.`,
];

export const germanTerms = (studio: string): string[] => [
  `1. Zehnerkarten gelten 120 Tage ab Kauf und sind nicht übertragbar.\n2. Eine Stornierung bis 24 Stunden ` +
    `vor Kursbeginn ist kostenlos; danach verfällt die Stunde.\n3. Abos verlängern sich alle 30 Tage, bis ` +
    `sie gekündigt werden.\n4. ${studio} kann Kurszeiten und Kursleitungen ändern.`,
];
