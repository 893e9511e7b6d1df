/**
 * Samsung products the corpus sells: real model codes of every family the policy covers, taken from
 * Samsung's public naming (phones SM-<series letter><number><region>, TVs <type><region><size><year
 * series><tuner><distribution>, monitors LS/LC/LF/LU<size><series letters><number><distribution>,
 * notebooks NP<number><generation>-<config><country>, SSDs MZ-<form><series><capacity><channel>, …).
 * None is a code of the dev set. `released` is when the model went on sale in Europe, so no receipt
 * dates a purchase before it.
 */

export type Family =
  'phone' | 'tablet' | 'wearable' | 'tv' | 'audio' | 'appliance' | 'monitor' | 'notebook' | 'ssd' | 'memory_card' | 'usb';

/** Which numbers identify a unit: an IMEI and an 11-character serial, an 11-character serial, a 15-character serial. */
export type UnitNumbers = 'imei' | 'serial11' | 'serial15' | 'none';

/** Whether the policy covers this code: `region` and `product` are the codes its coverage rules refuse. */
export type Coverage = 'covered' | 'region' | 'product';

export interface Product {
  model: string;
  name: string;
  family: Family;
  unit: UnitNumbers;
  released: string;
  price: number;
  coverage: Coverage;
}

const p = (
  model: string,
  name: string,
  family: Family,
  unit: UnitNumbers,
  released: string,
  price: number,
  coverage: Coverage = 'covered',
): Product => ({
  model,
  name,
  family,
  unit,
  released,
  price,
  coverage,
});

export const PRODUCTS: readonly Product[] = [
  // Phones: IMEI and an 11-character serial.
  p('SM-S911B/DS', 'Galaxy S23 128GB', 'phone', 'imei', '2023-02-17', 949),
  p('SM-S916B/DS', 'Galaxy S23+ 256GB', 'phone', 'imei', '2023-02-17', 1199),
  p('SM-S918B/DS', 'Galaxy S23 Ultra 256GB', 'phone', 'imei', '2023-02-17', 1399),
  p('SM-S926B/DS', 'Galaxy S24+ 256GB', 'phone', 'imei', '2024-01-31', 1149),
  p('SM-S928B/DS', 'Galaxy S24 Ultra 512GB', 'phone', 'imei', '2024-01-31', 1579),
  p('SM-S931B/DS', 'Galaxy S25 128GB', 'phone', 'imei', '2025-02-07', 899),
  p('SM-S938B/DS', 'Galaxy S25 Ultra 256GB', 'phone', 'imei', '2025-02-07', 1449),
  p('SM-S711B/DS', 'Galaxy S23 FE 128GB', 'phone', 'imei', '2023-10-26', 699),
  p('SM-S721B/DS', 'Galaxy S24 FE 128GB', 'phone', 'imei', '2024-10-03', 749),
  p('SM-S901B/DS', 'Galaxy S22 128GB', 'phone', 'imei', '2022-02-25', 849),
  p('SM-S908B/DS', 'Galaxy S22 Ultra 256GB', 'phone', 'imei', '2022-02-25', 1249),
  p('SM-G990B2/DS', 'Galaxy S21 FE 5G 128GB', 'phone', 'imei', '2022-01-11', 649),
  p('SM-A155F/DSN', 'Galaxy A15 128GB', 'phone', 'imei', '2023-12-16', 199),
  p('SM-A156B/DSN', 'Galaxy A15 5G 128GB', 'phone', 'imei', '2024-01-05', 229),
  p('SM-A356B/DS', 'Galaxy A35 5G 128GB', 'phone', 'imei', '2024-03-15', 379),
  p('SM-A556B/DS', 'Galaxy A55 5G 256GB', 'phone', 'imei', '2024-03-15', 529),
  p('SM-A346B/DSN', 'Galaxy A34 5G 128GB', 'phone', 'imei', '2023-03-24', 389),
  p('SM-A145R/DSN', 'Galaxy A14 64GB', 'phone', 'imei', '2023-01-20', 179),
  p('SM-A166B/DS', 'Galaxy A16 5G 128GB', 'phone', 'imei', '2024-10-21', 249),
  p('SM-F731B', 'Galaxy Z Flip5 256GB', 'phone', 'imei', '2023-08-11', 1199),
  p('SM-F946B', 'Galaxy Z Fold5 512GB', 'phone', 'imei', '2023-08-11', 1999),
  p('SM-F741B', 'Galaxy Z Flip6 256GB', 'phone', 'imei', '2024-07-24', 1199),
  p('SM-F956B', 'Galaxy Z Fold6 256GB', 'phone', 'imei', '2024-07-24', 1999),
  p('SM-G736B/DS', 'Galaxy XCover6 Pro', 'phone', 'imei', '2022-07-13', 549),
  p('SM-M346B/DS', 'Galaxy M34 5G 128GB', 'phone', 'imei', '2023-07-20', 299),
  // Tablets: 11-character serial; the LTE/5G models have an IMEI too.
  p('SM-X910', 'Galaxy Tab S9 Ultra WiFi 256GB', 'tablet', 'serial11', '2023-08-11', 1299),
  p('SM-X810', 'Galaxy Tab S9+ WiFi 256GB', 'tablet', 'serial11', '2023-08-11', 1099),
  p('SM-X510', 'Galaxy Tab S9 FE WiFi 128GB', 'tablet', 'serial11', '2023-10-05', 449),
  p('SM-X516B', 'Galaxy Tab S9 FE 5G 128GB', 'tablet', 'imei', '2023-10-05', 549),
  p('SM-X110', 'Galaxy Tab A9 WiFi 64GB', 'tablet', 'serial11', '2023-10-18', 169),
  p('SM-X210', 'Galaxy Tab A9+ WiFi 64GB', 'tablet', 'serial11', '2023-10-18', 229),
  p('SM-X216B', 'Galaxy Tab A9+ 5G 64GB', 'tablet', 'imei', '2023-10-18', 299),
  p('SM-X820', 'Galaxy Tab S10+ WiFi 256GB', 'tablet', 'serial11', '2024-10-03', 1129),
  p('SM-X920', 'Galaxy Tab S10 Ultra WiFi 256GB', 'tablet', 'serial11', '2024-10-03', 1329),
  p('SM-X200', 'Galaxy Tab A8 WiFi 32GB', 'tablet', 'serial11', '2022-01-17', 229),
  p('SM-T733', 'Galaxy Tab S7 FE WiFi 64GB', 'tablet', 'serial11', '2021-06-10', 529),
  p('SM-P620', 'Galaxy Tab S6 Lite (2024) 64GB', 'tablet', 'serial11', '2024-04-03', 349),
  // Wearables (the Watch7 and Watch Ultra use SM-L codes).
  p('SM-R930', 'Galaxy Watch6 40mm BT', 'wearable', 'serial11', '2023-08-11', 319),
  p('SM-R940', 'Galaxy Watch6 44mm BT', 'wearable', 'serial11', '2023-08-11', 349),
  p('SM-R945F', 'Galaxy Watch6 44mm LTE', 'wearable', 'imei', '2023-08-11', 399),
  p('SM-R910', 'Galaxy Watch5 44mm BT', 'wearable', 'serial11', '2022-08-26', 309),
  p('SM-R920', 'Galaxy Watch5 Pro 45mm BT', 'wearable', 'serial11', '2022-08-26', 469),
  p('SM-R860', 'Galaxy Watch4 40mm BT', 'wearable', 'serial11', '2021-08-27', 269),
  p('SM-R390', 'Galaxy Fit3', 'wearable', 'serial11', '2024-02-22', 59),
  p('SM-L310', 'Galaxy Watch7 44mm BT', 'wearable', 'serial11', '2024-07-24', 329),
  p('SM-L705F', 'Galaxy Watch Ultra 47mm LTE', 'wearable', 'imei', '2024-07-24', 699),
  // TVs: 15-character serial; distribution codes XZG (DE/AT/CH), XXN (Benelux), XXE (Nordics), XXU.
  p('QE55S90CATXZG', 'OLED S90C 55"', 'tv', 'serial15', '2023-03-15', 1799),
  p('QE65Q80DATXZG', 'QLED Q80D 65"', 'tv', 'serial15', '2024-03-20', 1399),
  p('QE55QN85CATXZG', 'Neo QLED QN85C 55"', 'tv', 'serial15', '2023-03-15', 1299),
  p('GQ55Q70CATXZG', 'QLED Q70C 55"', 'tv', 'serial15', '2023-03-15', 899),
  p('GQ65QN95BATXZG', 'Neo QLED 4K QN95B 65"', 'tv', 'serial15', '2022-03-20', 2499),
  p('UE55CU7172UXXN', 'Crystal UHD CU7172 55"', 'tv', 'serial15', '2023-03-15', 499),
  p('UE43DU7172UXXN', 'Crystal UHD DU7172 43"', 'tv', 'serial15', '2024-03-20', 379),
  p('GU55CU8079UXZG', 'Crystal UHD CU8079 55"', 'tv', 'serial15', '2023-03-15', 599),
  p('GU50DU8079UXZG', 'Crystal UHD DU8079 50"', 'tv', 'serial15', '2024-03-20', 529),
  p('QE77S95DATXXN', 'OLED S95D 77"', 'tv', 'serial15', '2024-03-20', 4199),
  p('QE55LS03BAUXZG', 'The Frame LS03B 55"', 'tv', 'serial15', '2022-03-20', 1299),
  p('GQ50LS03DAUXZG', 'The Frame LS03D 50"', 'tv', 'serial15', '2024-03-20', 1199),
  p('QE50Q60CAUXXE', 'QLED Q60C 50"', 'tv', 'serial15', '2023-03-15', 649),
  p('UE65AU7025KXXE', 'Crystal UHD AU7025 65"', 'tv', 'serial15', '2021-04-01', 699),
  p('QE65QN90AATXXE', 'Neo QLED QN90A 65"', 'tv', 'serial15', '2021-04-01', 2399),
  // Soundbars.
  p('HW-Q990C/ZG', 'Soundbar HW-Q990C', 'audio', 'serial15', '2023-04-01', 1499),
  p('HW-Q700D/ZG', 'Soundbar HW-Q700D', 'audio', 'serial15', '2024-04-01', 699),
  p('HW-S800B/ZG', 'Soundbar HW-S800B', 'audio', 'serial15', '2022-04-01', 799),
  p('HW-B550/ZG', 'Soundbar HW-B550', 'audio', 'serial15', '2022-04-01', 279),
  p('HW-Q930D/EN', 'Soundbar HW-Q930D', 'audio', 'serial15', '2024-04-01', 999),
  p('HW-C450/XE', 'Soundbar HW-C450', 'audio', 'serial15', '2023-04-01', 199),
  p('HW-S60B/XN', 'Soundbar HW-S60B All-in-One', 'audio', 'serial15', '2022-04-01', 379),
  // Appliances.
  p('WW80T534DAW/S2', 'Waschmaschine WW5300T 8 kg', 'appliance', 'serial15', '2020-06-01', 549),
  p('WW90T4040CE/EG', 'Waschmaschine WW4000T 9 kg', 'appliance', 'serial15', '2020-06-01', 479),
  p('WW11BB744DGB/S2', 'Waschmaschine Bespoke AI 11 kg', 'appliance', 'serial15', '2022-05-01', 899),
  p('WD80T534DBW/S2', 'Waschtrockner WD5000T 8/5 kg', 'appliance', 'serial15', '2020-06-01', 799),
  p('DV90T5240AW/S2', 'Wärmepumpentrockner DV5000T 9 kg', 'appliance', 'serial15', '2020-06-01', 699),
  p('DV80TA020AE/EG', 'Wärmepumpentrockner 8 kg', 'appliance', 'serial15', '2021-03-01', 549),
  p('RB34T602ESA/EF', 'Kühl-Gefrier-Kombination 340 l', 'appliance', 'serial15', '2020-05-01', 649),
  p('RB36T675CSA/EF', 'Kühl-Gefrier-Kombination 365 l', 'appliance', 'serial15', '2020-05-01', 799),
  p('RS68A8840S9/EF', 'Side-by-Side RS8000 634 l', 'appliance', 'serial15', '2021-04-01', 1499),
  p('RT38CG6624S9ES', 'Top-Freezer 393 l', 'appliance', 'serial15', '2023-04-01', 749),
  p('DW60M6050FS/EC', 'Geschirrspüler 60 cm', 'appliance', 'serial15', '2018-03-01', 499),
  p('DW60M6050BB/EC', 'Geschirrspüler 60 cm schwarz', 'appliance', 'serial15', '2018-03-01', 529),
  // Monitors: EU distribution (…UXEN, …XEN) and, refused by the region rule, UK (XXU) and CIS (XXF) codes.
  p('LS27AG500NUXEN', 'Odyssey G5 G50A 27"', 'monitor', 'serial15', '2021-07-01', 379),
  p('LS32AG500PUXEN', 'Odyssey G5 G50A 32"', 'monitor', 'serial15', '2021-07-01', 449),
  p('LS34BG850SUXEN', 'Odyssey OLED G8 34"', 'monitor', 'serial15', '2022-11-01', 1499),
  p('LS27DM502EUXEN', 'Smart Monitor M5 M50D 27"', 'monitor', 'serial15', '2024-04-01', 229),
  p('LS32BM700UPXEN', 'Smart Monitor M7 M70B 32"', 'monitor', 'serial15', '2022-06-01', 499),
  p('LS32BM801UUXEN', 'Smart Monitor M8 M80B 32"', 'monitor', 'serial15', '2022-06-01', 729),
  p('LS49CG954SUXEN', 'Odyssey Neo G9 G95NC 49"', 'monitor', 'serial15', '2023-04-01', 1799),
  p('LS27CG510EUXEN', 'Odyssey G5 G51C 27"', 'monitor', 'serial15', '2023-05-01', 299),
  p('LS24C360EAUXEN', 'Essential Monitor S3 S36C 24"', 'monitor', 'serial15', '2023-03-01', 129),
  p('LS27C360EAUXEN', 'Essential Monitor S3 S36C 27"', 'monitor', 'serial15', '2023-03-01', 159),
  p('LU28R550UQPXEN', 'UHD Monitor UR55 28"', 'monitor', 'serial15', '2019-09-01', 299),
  p('LF24T350FHRXEN', 'Monitor T35F 24"', 'monitor', 'serial15', '2020-05-01', 139),
  p('LS27DG602SUXEN', 'Odyssey OLED G6 27"', 'monitor', 'serial15', '2024-06-01', 899),
  p('LC32G75TQSPXEN', 'Odyssey G7 32"', 'monitor', 'serial15', '2020-07-01', 699),
  p('LS24AG300NUXEN', 'Odyssey G3 24"', 'monitor', 'serial15', '2021-05-01', 199),
  p('LS32CM500EUXEN', 'Smart Monitor M5 M50C 32"', 'monitor', 'serial15', '2023-04-01', 299),
  p('LS27AG500NUXXU', 'Odyssey G5 G50A 27"', 'monitor', 'serial15', '2021-07-01', 379, 'region'),
  p('LS32BM801UUXXU', 'Smart Monitor M8 M80B 32"', 'monitor', 'serial15', '2022-06-01', 729, 'region'),
  p('LS57CG952NCXXF', 'Odyssey Neo G9 57"', 'monitor', 'serial15', '2023-10-01', 2499, 'region'),
  p('LF27T350FHRXXU', 'Monitor T35F 27"', 'monitor', 'serial15', '2020-05-01', 169, 'region'),
  // Notebooks: EU spec ends DE or /SEG; UK spec (…UK) is refused by the region rule.
  p('NP750XFG-KA3DE', 'Galaxy Book3 15.6" i5', 'notebook', 'serial15', '2023-02-17', 899),
  p('NP960XFG-KC1DE', 'Galaxy Book3 Pro 16" i7', 'notebook', 'serial15', '2023-02-17', 1799),
  p('NP940XFG-KC1DE', 'Galaxy Book3 Pro 14" i7', 'notebook', 'serial15', '2023-02-17', 1649),
  p('NP964XFG-KC1DE', 'Galaxy Book3 Ultra 16" i7', 'notebook', 'serial15', '2023-02-17', 2799),
  p('NP750XGK-KG1DE', 'Galaxy Book4 15.6" Core 5', 'notebook', 'serial15', '2024-01-05', 799),
  p('NP960XGK-KG1DE', 'Galaxy Book4 Pro 16" Core Ultra 7', 'notebook', 'serial15', '2024-01-05', 1899),
  p('NP964XGL-XG1DE', 'Galaxy Book4 Ultra 16" Core Ultra 7', 'notebook', 'serial15', '2024-01-05', 2999),
  p('NP750QFG-KA1DE', 'Galaxy Book3 360 15.6" i5', 'notebook', 'serial15', '2023-02-17', 1199),
  p('NP930XED-KA1/SEG', 'Galaxy Book2 Pro 13.3" i5', 'notebook', 'serial15', '2022-04-01', 1099),
  p('NP750XGK-KG3UK', 'Galaxy Book4 15.6" Core 5', 'notebook', 'serial15', '2024-01-05', 699, 'region'),
  p('NP964XGL-XG1UK', 'Galaxy Book4 Ultra 16" Core Ultra 7', 'notebook', 'serial15', '2024-01-05', 2599, 'region'),
  p('NP960XFG-KA1UK', 'Galaxy Book3 Pro 16" i5', 'notebook', 'serial15', '2023-02-17', 1499, 'region'),
  // SSDs: retail channel codes end BW / EU; PC-integrator (OEM) codes are not covered.
  p('MZ-V9P2T0BW', 'SSD 990 PRO NVMe 2TB', 'ssd', 'serial15', '2022-10-20', 199),
  p('MZ-V9P1T0BW', 'SSD 990 PRO NVMe 1TB', 'ssd', 'serial15', '2022-10-20', 119),
  p('MZ-V9E1T0BW', 'SSD 990 EVO NVMe 1TB', 'ssd', 'serial15', '2024-01-25', 99),
  p('MZ-V8P1T0BW', 'SSD 980 PRO NVMe 1TB', 'ssd', 'serial15', '2020-09-22', 129),
  p('MZ-77E2T0B/EU', 'SSD 870 EVO SATA 2TB', 'ssd', 'serial15', '2021-01-19', 169),
  p('MZ-77E500B/EU', 'SSD 870 EVO SATA 500GB', 'ssd', 'serial15', '2021-01-19', 59),
  p('MZ-77Q2T0BW', 'SSD 870 QVO SATA 2TB', 'ssd', 'serial15', '2020-06-30', 139),
  p('MZ-VL21T0HCLR', 'SSD PM9A1 NVMe 1TB (OEM)', 'ssd', 'serial15', '2021-03-01', 89, 'product'),
  p('MZ-VL2512HCJQ', 'SSD PM9A1 NVMe 512GB (OEM)', 'ssd', 'serial15', '2021-03-01', 49, 'product'),
  p('MZ-7LH960HAJR', 'SSD PM883 SATA 960GB (OEM)', 'ssd', 'serial15', '2019-01-01', 139, 'product'),
  // Memory cards and USB drives: no serial on the receipt.
  p('MB-MC128KA/EU', 'microSDXC EVO Plus 128GB', 'memory_card', 'none', '2021-04-01', 19),
  p('MB-MC256SA/EU', 'microSDXC EVO Plus 256GB (2024)', 'memory_card', 'none', '2024-03-01', 27),
  p('MB-MD256KA/EU', 'microSDXC PRO Plus 256GB', 'memory_card', 'none', '2021-04-01', 35),
  p('MB-MY512SA/WW', 'microSDXC PRO Ultimate 512GB', 'memory_card', 'none', '2024-06-01', 69),
  p('MB-MJ64KA/EU', 'microSDXC PRO Endurance 64GB', 'memory_card', 'none', '2022-05-01', 15),
  p('MUF-64BE4/APC', 'USB-Stick BAR Plus 64GB', 'usb', 'none', '2020-06-01', 14),
  p('MUF-256DA/APC', 'USB-C Stick Type-C 256GB', 'usb', 'none', '2021-06-01', 34),
  p('MUF-256AB/APC', 'USB-Stick FIT Plus 256GB', 'usb', 'none', '2020-06-01', 32),
];

/** Months of warranty per family, as the policy table in docs/warranty-rules.md §4 states them. */
export function warrantyMonths(product: Product, extensionBought: boolean): number {
  switch (product.family) {
    case 'ssd':
    case 'usb':
      return 60;
    case 'memory_card':
      return /^MB-(MC|MD|MY)/.test(product.model) ? 120 : 60;
    case 'tv':
      return extensionBought ? 60 : 24;
    default:
      return 24;
  }
}

/** What §4 requires the receipt to show, per family. */
export function requiredOnReceipt(family: Family): Array<'purchaseDate' | 'retailer' | 'model' | 'serialOrImei' | 'serial'> {
  switch (family) {
    case 'phone':
    case 'tablet':
    case 'wearable':
      return ['purchaseDate', 'retailer', 'model', 'serialOrImei'];
    case 'notebook':
      return ['purchaseDate', 'retailer', 'model', 'serial'];
    case 'ssd':
      return ['purchaseDate', 'serial'];
    case 'memory_card':
    case 'usb':
      return ['purchaseDate', 'retailer', 'model'];
    case 'tv':
    case 'audio':
    case 'appliance':
    case 'monitor':
      return ['purchaseDate'];
  }
}

/** 11 characters for phones, tablets and wearables; 15 for the rest (docs/warranty-rules.md §1). */
export function serialLength(family: Family): 11 | 15 {
  return family === 'phone' || family === 'tablet' || family === 'wearable' ? 11 : 15;
}
