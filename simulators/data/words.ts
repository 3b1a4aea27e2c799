/** Word lists the generator composes names from. */
export const ADJECTIVES = ['Classic', 'Urban', 'Alpine', 'Coastal', 'Everyday', 'Premium', 'Vintage', 'Modern', 'Rugged', 'Soft', 'Lightweight', 'Organic', 'Heritage', 'Studio', 'Trail', 'Summit', 'Harbor', 'Meadow', 'Nordic', 'Desert'];
export const MATERIALS = ['Cotton', 'Linen', 'Wool', 'Leather', 'Denim', 'Canvas', 'Bamboo', 'Oak', 'Ceramic', 'Steel', 'Walnut', 'Cashmere', 'Silk', 'Suede', 'Recycled'];
export const CATEGORY_NOUNS: Record<string, string[]> = {
  Apparel: ['T-Shirt', 'Hoodie', 'Jacket', 'Sweater', 'Shirt', 'Dress', 'Chinos', 'Jeans'],
  Footwear: ['Sneaker', 'Boot', 'Sandal', 'Loafer', 'Runner'],
  Home: ['Throw', 'Cushion', 'Lamp', 'Vase', 'Mug', 'Bowl', 'Blanket', 'Planter'],
  Kitchen: ['Knife', 'Pan', 'Cutting Board', 'Kettle', 'Teapot', 'Spatula'],
  Outdoor: ['Backpack', 'Tent', 'Water Bottle', 'Camp Chair', 'Headlamp'],
  Accessories: ['Belt', 'Wallet', 'Scarf', 'Cap', 'Tote', 'Watch Strap'],
};
export const SUBCATEGORIES: Record<string, string[]> = {
  Apparel: ['Men', 'Women', 'Kids'],
  Footwear: ['Running', 'Casual'],
  Home: ['Living Room', 'Bedroom', 'Decor'],
  Kitchen: ['Cookware', 'Tableware'],
  Outdoor: ['Camping', 'Hiking'],
  Accessories: ['Bags', 'Small Leather Goods'],
};
export const COLORS = ['Black', 'White', 'Navy', 'Olive', 'Sand', 'Rust', 'Grey', 'Forest', 'Sky', 'Burgundy'];

/** First names with the nicknames people give in one system and not another. */
export const FIRST_NAMES: Array<[string, string[]]> = [
  ['Robert', ['Bob', 'Rob', 'Bobby']], ['William', ['Bill', 'Will', 'Liam']], ['Elizabeth', ['Liz', 'Beth', 'Eliza']],
  ['Katherine', ['Kate', 'Kathy', 'Katie']], ['Michael', ['Mike', 'Mick']], ['Jennifer', ['Jen', 'Jenny']],
  ['James', ['Jim', 'Jimmy']], ['Margaret', ['Maggie', 'Meg', 'Peggy']], ['Richard', ['Rick', 'Dick', 'Rich']],
  ['Patricia', ['Pat', 'Patty', 'Trish']], ['Thomas', ['Tom', 'Tommy']], ['Alexander', ['Alex', 'Sasha']],
  ['Christopher', ['Chris', 'Topher']], ['Jessica', ['Jess', 'Jessie']], ['Daniel', ['Dan', 'Danny']],
  ['Susan', ['Sue', 'Suzy']], ['Joseph', ['Joe', 'Joey']], ['Victoria', ['Vicky', 'Tori']],
  ['Matthew', ['Matt']], ['Samantha', ['Sam', 'Sammy']], ['Anthony', ['Tony']], ['Rebecca', ['Becky', 'Becca']],
  ['Nicholas', ['Nick', 'Nico']], ['Deborah', ['Debbie', 'Deb']], ['Edward', ['Ed', 'Eddie', 'Ted']],
  ['Olivia', ['Liv']], ['Benjamin', ['Ben', 'Benny']], ['Abigail', ['Abby']], ['Sofia', []], ['Noah', []],
  ['Mei', []], ['Aarav', []], ['Fatima', []], ['Lucas', ['Luke']], ['Isabella', ['Bella', 'Izzy']],
];
export const LAST_NAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Okafor', 'Kowalski', 'Schmidt', 'Rossi', 'Dubois', 'Tanaka', 'Patel', 'Kim', 'Olsen', 'Murphy'];
export const EMAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'proton.me', 'example.org'];
export const STREETS = ['Maple Ave', 'Oak St', 'Pine Rd', 'Cedar Ln', 'Elm St', 'Birch Way', 'Harbor Blvd', 'Main St', 'Lake Dr', 'Hillcrest Rd', 'Park Pl', 'River Rd'];
export const CITIES: Array<[string, string]> = [['Portland', '97201'], ['Seattle', '98101'], ['Denver', '80202'], ['Austin', '73301'], ['Boston', '02108'], ['Chicago', '60601'], ['Atlanta', '30303'], ['San Diego', '92101'], ['Minneapolis', '55401'], ['Raleigh', '27601']];
