//! Name lists for synthetic pupils. Every pupil is a random pairing of a given name
//! and a family name from these lists: no real child is described.

pub const GIVEN: &[&str] = &[
    "Aaliyah", "Aarav", "Abdul", "Ada", "Adam", "Aisha", "Alfie", "Alice", "Amara", "Amelia", "Amir", "Anaya", "Archie",
    "Arlo", "Aryan", "Ava", "Ayaan", "Bella", "Ben", "Bilal", "Bonnie", "Caleb", "Chloe", "Daisy", "Daniel", "Darcy",
    "Dylan", "Eden", "Edward", "Eleanor", "Elijah", "Ella", "Elsie", "Emily", "Erin", "Ethan", "Evie", "Ezra", "Fatima",
    "Finley", "Florence", "Freddie", "Freya", "George", "Grace", "Hana", "Harper", "Harry", "Harvey", "Hassan", "Ibrahim",
    "Imogen", "Isaac", "Isla", "Ivy", "Jack", "Jacob", "Jasmine", "Joshua", "Jude", "Kai", "Layla", "Leo", "Lily",
    "Logan", "Louie", "Luca", "Lucy", "Maisie", "Maryam", "Mason", "Matilda", "Maya", "Mia", "Mohammed", "Muhammad",
    "Nancy", "Noah", "Nora", "Olivia", "Oliver", "Oscar", "Phoebe", "Poppy", "Priya", "Reggie", "Reuben", "Riley",
    "Rosie", "Ruby", "Sami", "Sara", "Sebastian", "Sienna", "Sofia", "Sophie", "Stanley", "Teddy", "Theo", "Thomas",
    "Tobias", "Toby", "Willow", "Yusuf", "Zara", "Zain",
];

pub const FAMILY: &[&str] = &[
    "Adams", "Ahmed", "Ali", "Allen", "Anderson", "Baker", "Begum", "Bennett", "Brown", "Campbell", "Carter", "Chapman",
    "Chen", "Clark", "Clarke", "Cole", "Collins", "Cook", "Cooper", "Davies", "Dixon", "Edwards", "Ellis", "Evans",
    "Fisher", "Fletcher", "Foster", "Gray", "Green", "Griffiths", "Hall", "Harris", "Hill", "Holmes", "Hughes", "Hussain",
    "Jackson", "James", "Jones", "Kaur", "Kelly", "Khan", "King", "Kowalski", "Lee", "Lewis", "Marshall", "Martin",
    "Mason", "Mills", "Mitchell", "Moore", "Morgan", "Morris", "Murphy", "Nguyen", "Novak", "Okafor", "Owen", "Palmer",
    "Parker", "Patel", "Phillips", "Price", "Rahman", "Reid", "Richards", "Roberts", "Robinson", "Rose", "Russell",
    "Scott", "Shah", "Shaw", "Simpson", "Singh", "Smith", "Stevens", "Taylor", "Thomas", "Thompson", "Turner", "Walker",
    "Ward", "Watson", "White", "Williams", "Wilson", "Wood", "Wright", "Young",
];

pub const STAFF: &[&str] = &[
    "Mrs Green (teaching assistant)", "Mr Osei (teaching assistant)", "Ms Hart (HLTA)", "Mrs Kaur (teaching assistant)",
    "Miss Lloyd (teaching assistant)", "Mr Byrne (learning mentor)",
];

/// Who delivers provision, by staff role key (see [`crate::costing`]).
pub fn staff_for(role: &str, pick: usize) -> &'static str {
    let names: &[&str] = match role {
        "hlta" => &["Ms Hart (HLTA)", "Mr Doyle (HLTA)"],
        "learning_mentor" => &["Mr Byrne (learning mentor)"],
        "teacher" => &["Mrs Fielding (intervention teacher)", "Mr Lim (intervention teacher)"],
        "specialist_teacher" => &["Ms Okoro (specialist teacher)"],
        _ => &["Mrs Green (teaching assistant)", "Mr Osei (teaching assistant)", "Mrs Kaur (teaching assistant)", "Miss Lloyd (teaching assistant)"],
    };
    names[pick % names.len()]
}

pub const TEACHERS: &[&str] = &[
    "Miss Brook (class teacher)", "Mr Ahmed (class teacher)", "Mrs Fielding (class teacher)", "Mr Novak (class teacher)",
    "Ms Adeyemi (class teacher)", "Mrs Price (class teacher)", "Mr Lim (class teacher)",
];

pub const SENCO: &str = "Ms Rivera (SENCO)";
