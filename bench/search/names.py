"""Name lists for synthetic Belgian persons (benchmark data, not real people).

Each list is ordered from common to rare within its community; `generate.py` draws
from them with Zipf-like weights, so a few surnames and given names are shared by
many persons (as Peeters, Dubois, Jan or Marie are) while a full name stays rare.
Accents, particles (Van den, De, D', El, Da), apostrophes and letters that do not
decompose (ß, ł, ı, ø) are all there, because search must forgive them.
"""

from __future__ import annotations

# Share of persons by community: Flemish, French-speaking, German-speaking,
# and families of foreign origin (whose given names follow that origin).
COMMUNITIES = {"nl": 0.52, "fr": 0.33, "de": 0.01, "int": 0.14}

SURNAMES = {
    "nl": """Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters
        De_Smet Dubois Hermans Aerts Vermeulen Pauwels Van_Damme Desmet Michiels
        De_Clercq Claeys Verstraete Lambrechts Dumont Van_den_Broeck Martens
        Stevens De_Backer Verhoeven Jansen Coppens Smets Van_de_Velde Maertens
        Cools Segers Declercq Vandenberghe Mortier Lemmens Vermeiren Geerts Baert
        Van_Dyck Verbeke Hendrickx De_Wilde Bogaerts Van_Acker Mattheus Verlinden
        Leemans Van_Hoof Verschueren Wuyts Vercammen Van_Roy Timmermans Moens
        Thys Cornelis Devos De_Meyer Deprez Verhaeghe Van_Hecke Vandamme Sels
        Van_Gucht Huysmans Vanderstraeten Verbruggen Dewulf Van_Impe Luyten
        Van_der_Auwera Hoste Vlaeminck Wijns Nijs Pieters Goris Daems Schepens
        Van_den_Bossche Van_Landeghem De_Vos Boonen Bosmans Heylen Van_Looy
        Vanhoutte Debaets Crabbé Soenens D'Hondt D'Haese Van_Ryckeghem Ghijs
        Verbiest Deckers Reynaert Daelemans Geukens Van_Hove Beckers Boeckx
        Corthout Callebaut Vanhove Van_Nuffel Ooms Van_Gorp Roels Dierckx Pype
        Ceulemans Vanhaecke Mees Van_Aelst Vanderlinden Sterckx Dhondt Vandeputte
        Van_Loock Van_Rompuy De_Coninck Verheyen Gielen Swinnen Nelissen Vrancken
        Loos Haesaerts Van_Eeckhout Hoebeke Desmedt Vannieuwenhuyse Ghysels
        Rogiers Van_Goethem De_Pauw Bracke Bauwens De_Ridder Van_Mechelen
        Verhelst Steenackers Dewaele De_Bruyne Braeckman Van_Parys Roelandt
        Haegeman Vandevelde Neyens Vanacker Engelen Lievens Van_Camp Van_Belle
        Van_der_Veken Ryckaert Dierickx Meeus Wauters Verelst Van_Laere Meersman
        Vergauwen Sanders Loots Verstappen Vandewalle Vermeersch Vangeel
        Schoofs Van_Houtte Vanneste De_Laet Baeten Heremans Torfs Bruynseels
        Van_Oost Lenaerts Smeets Vanderhaegen Van_Overmeire Deleu Ghesquière
        Opdebeeck Noëll Van_Eyck Vandaele Blommaert Claessens Naessens""",
    "fr": """Dubois Lambert Dupont Martin Simon Laurent Leclercq Dumont Lejeune
        Renard François Gérard Lefèvre Mathieu Hubert Denis Leroy Fontaine Henry
        Collard Noël Thomas Lemaire Gilson Fournier Marchal Petit Masson Piette
        Michel Mertens Jacquet Wilmet Rousseau Nicolas Lecomte Bertrand Delvaux
        Dethier Hardy Bodart Baudoin Lallemand Thiry Warnier Delhaye Delcourt
        Massart Legrand Godart Lacroix Goffin Desmet Herman Delfosse Maréchal
        Charlier Dupuis Colin Lambotte Closset Defays Piérard Hanquet Thiébaut
        Piron Wauthier Pirard Bastin Renson Wathelet Hennuy Gilles Jadoul Hélin
        Bouvier Georges Delforge Mahieu Rigaux Cornet Bernard Dewez
        Leblanc Descamps Gillet Schmit Lhoest Lhoir Marlier Poncelet Dessart
        Bouchez Hallet Deprez Jacobs Gobert Delmotte Adam Brasseur Mignon Crèvecœur
        Ledoux Lemoine Devillers Debrus Vandenbroucke Dejardin Frère Lepage Hock
        Dubuisson Deneubourg Bériot Étienne Gosset Pâquet Ghislain Lecocq Baré
        Léonard Joachim Houbion Mélotte Bertholet Wéry Degrève Rensonnet Crahay
        Lousberg Hoyoux Liégeois Bénard Lenoir Gaspard Stassart Vanhoutte
        Dechamps Durieux Mathy Thonon Evrard Génicot Lardinois Moreau Paquay
        Pirotte Raskin Servais Toussaint Wauters Ransart d'Ursel de_Lannoy
        de_Ligne le_Hardÿ_de_Beaulieu""",
    "de": """Schmitz Müller Schröder Kreutz Hoffmann Pankert Mertes Lentz
        Heinen Jost Cremer Margraff Thönnissen Brüls Reuter Schleck Weiß
        Krings Backes Göbbels Fickers Hilgers Kessler Peiffer Grosch Schüller
        Mreyen Offermann Löhrer Maraite""",
    "int": """El_Amrani Benali Yılmaz Kowalski Nowak Da_Silva García Rossi
        Nguyen Diallo El_Idrissi Bakkali Bouzid Azzouzi Ait_Ouali El_Khattabi
        Haddouchi Ben_Salah Mansouri Tahiri Ouali Chaoui Hamdaoui Ahmadi Saidi
        Öztürk Kaya Demir Şahin Çelik Yıldız Aydın Doğan Kılıç Arslan Koç Kurt
        Özdemir Esposito Russo Romano Colombo Ricci Marino Greco Bruno Gallo
        Conti De_Luca Costa Giordano Mancini Lombardi Ferrara Martínez López
        González Rodríguez Fernández Sánchez Pérez Gómez Dos_Santos Ferreira
        Pereira Gonçalves Rodrigues Alves Lopes Gomes Wiśniewski Wójcik
        Kowalczyk Kamiński Lewandowski Zieliński Dąbrowski Szymański Woźniak
        Popescu Ionescu Constantin Stoica Dumitru Mukendi Kabongo Tshibangu
        Ilunga Mbuyi Kalala Lumbala Mutombo Kasongo Tran Le Pham Hoang Phan
        Vu Dang Bui Do Ngo Diop Ndiaye Ba Camara Sow Traoré Keita Balde
        Ivanov Petrov Horváth Novák Dvořák Papadopoulos Georgiou Nielsen
        Jensen Sørensen Smith Jones Ó_Briain Van_der_Merwe Schäfer Kühn""",
}

GIVEN_NAMES = {
    ("nl", "M"): """Jan Pieter Wouter Bart Stijn Lucas Liam Milan Hendrik Noah Arthur
        Louis Jules Tom Kevin Dirk Luc Marc Peter Johan Koen Geert Kris Wim Filip
        Frank Patrick Jozef Frans Willem Jef Jens Robbe Seppe Lars Thibo Warre
        Vic Mathis Daan Mats Lowie Finn Stan Tuur Rune Wout Sander Ruben Bram
        Tim Joris Maarten Pieterjan Gert Lieven Hannes Jeroen Toon Nand Guus
        Senne Ferre Kobe Jasper Michiel Dries Brecht Gilles Elias Lander Lennert
        Raf Rik Staf Ward Xander Yves Gust Lode Cas Emiel Hugo Jaak""",
    ("nl", "F"): """An Els Lotte Sara Lien Femke Ine Nora Mia Marie Emma Louise Olivia
        Ella Lina Fien Noor Hanne Lore Ellen Sofie Katrien Veerle Inge Annick Karin
        Griet Hilde Liesbeth Leen Nele Eline Lisa Charlotte Amber Jana Julie
        Elke Tine Kaat Marieke Anke Ilse Ann Kristien Goedele Rita Maria Josée
        Margriet Mieke Paulien Roos Saar Tess Zita Lieve Klaartje Joke Jolien
        Febe Stien Jitske Nina Ilona Renée Chloë Noëlle Anaïs Zoë Liv""",
    ("fr", "M"): """Jean François Luc Mathieu Louis Arthur Jules Adam Lucas Noah Gabriel
        Victor Hugo Nathan Thomas Nicolas Julien Olivier Philippe Michel Pierre
        Alain Didier Benoît Cédric Hervé Thibault Raphaël Rémi Sébastien Frédéric
        Stéphane Jérôme Grégory Vincent Christophe Laurent Pascal Éric Marc
        Guillaume Antoine Maxime Romain Florent Quentin Valentin Baptiste Théo
        Clément Léon Émile Aurélien Loïc Joël Gaëtan Mathéo Timéo Noé Maël Eliott
        Sacha Martin Paul Henri Joseph Charles Georges Robert Roger André René
        Marcel Gérard Ghislain Xavier Yves Fabrice Bernard Francis Damien""",
    ("fr", "F"): """Marie Sophie Hélène Camille Léa Chloé Emma Louise Zoé Inès Joëlle
        Françoise Agnès Maëlle Noémie Juliette Alice Manon Clara Jade Lina Anaïs
        Élise Mélanie Céline Nathalie Isabelle Catherine Christine Véronique
        Sandrine Valérie Stéphanie Aurélie Émilie Virginie Julie Caroline
        Anne Monique Jacqueline Geneviève Bénédicte Dominique Pascale Martine
        Brigitte Danielle Thérèse Josiane Ghislaine Laurence Sylvie Delphine
        Mathilde Margaux Océane Éléonore Capucine Romane Lucie Pauline Justine
        Charlotte Amélie Léonie Rose Victoire Apolline Gaëlle Maïté Noëlle""",
    ("de", "M"): """Jürgen Günter Stefan Michael Thomas Andreas Klaus Dieter Helmut
        Jörg Uwe Matthias Markus Lukas Leon Jonas Tobias Florian Sebastian
        Björn Maximilian Felix Paul Johannes""",
    ("de", "F"): """Jüliane Anneliese Monika Ursula Sabine Petra Birgit Gisela Renate
        Brigitte Jutta Katharina Lena Leonie Hannah Johanna Marlene Greta Lea
        Annika Bärbel Käthe Jördis Sünje""",
    ("int", "M"): """Mohamed Ahmed Youssef Mehmet Mustafa Ali Omar Hamza Ibrahim Karim
        Rachid Said Abdel Bilal Ayoub Amine Ilyas Adam Yassin Mehdi Anas Hassan
        Murat Emre Burak Hakan Ömer Çağlar Oğuz İsmail Giuseppe Marco Luca
        Alessandro Francesco Antonio José Carlos Juan Miguel João Rui Tiago
        Piotr Krzysztof Łukasz Paweł Tomasz Mariusz Andrei Mihai Ion Alexandru
        Jean-Pierre Patrice Didier Serge Kalonji Thanh Minh Hùng Duc Mamadou
        Ousmane Moussa Abdoulaye Dmitri Sergei Jiří Niels Søren Seán Dariusz""",
    ("int", "F"): """Fatima Aïcha Khadija Meryem Nadia Samira Yasmina Salma Imane
        Hajar Soukaina Zineb Elif Ayşe Zeynep Emine Hatice Büşra Gül Giulia
        Francesca Chiara Alessia Sofia María Carmen Lucía Ana Inês Beatriz
        Małgorzata Agnieszka Katarzyna Zuzanna Ioana Elena Andreea Mihaela
        Grâce Béatrice Mireille Linh Mai Thảo Aminata Fatoumata Mariam Olga
        Natalia Svetlana Jana Zsófia Sinéad Ingrid Åsa""",
}


def _split(text: str) -> list[str]:
    """Words of a list; an underscore joins the parts of one name ("Van_den_Bossche")."""
    return [word.replace("_", " ") for word in text.split()]


SURNAME_LISTS = {community: _split(text) for community, text in SURNAMES.items()}
GIVEN_NAME_LISTS = {key: _split(text) for key, text in GIVEN_NAMES.items()}

# Surnames built from a particle and a place or trade word, as so many Belgian
# surnames are ("Van den Heuvel", "Vandeputte", "Delhaye", "Dupré"). They form the
# long tail after the common names above.
_NL_PARTICLES = ["Van ", "Van de ", "Van den ", "Van der ", "Vande", "Vanden", "De "]
_NL_ROOTS = [
    "Velde",
    "Berghe",
    "Broeck",
    "Bossche",
    "Poel",
    "Heuvel",
    "Linden",
    "Meersch",
    "Steen",
    "Kerckhove",
    "Hove",
    "Eynde",
    "Bulcke",
    "Putte",
    "Wiele",
    "Walle",
    "Daele",
    "Voorde",
    "Straeten",
    "Weyer",
    "Beke",
    "Brande",
    "Vijver",
    "Kasteele",
    "Moortel",
    "Abeele",
    "Cauter",
    "Keere",
    "Meulen",
    "Mosselaer",
    "Plancke",
    "Casteele",
    "Sande",
    "Bempt",
    "Hende",
    "Gheyn",
    "Leene",
    "Wynckel",
    "Zande",
    "Hoecke",
    "Wouwer",
    "Loo",
    "Ryck",
    "Acker",
    "Gucht",
    "Damme",
    "Hecke",
    "Dyck",
    "Rompaey",
    "Kerkhof",
    "Bruggen",
    "Hoeven",
    "Meere",
    "Bunder",
    "Cruys",
    "Haute",
    "Schuere",
    "Dorpe",
    "Venne",
    "Wegen",
]
_FR_PARTICLES = ["Du", "De la ", "Del", "Des", "De ", "Le "]
_FR_ROOTS = [
    "pont",
    "bois",
    "mont",
    "champ",
    "fosse",
    "haye",
    "val",
    "pré",
    "moulin",
    "chêne",
    "fontaine",
    "marais",
    "bourg",
    "château",
    "croix",
    "hêtre",
    "tilleul",
    "ry",
    "sart",
    "thier",
    "fagne",
    "bruyère",
    "ruelle",
    "prés",
    "roche",
    "vivier",
    "chesne",
    "chaussée",
    "faweux",
    "préaux",
    "fraîneux",
]


def _built(particles: list[str], roots: list[str]) -> list[str]:
    built: list[str] = []
    for root in roots:
        for particle in particles:
            joined = particle + (root if particle.endswith(" ") else root.lower())
            built.append(joined[0].upper() + joined[1:])
    return built


SURNAME_LISTS["nl"] += [
    name for name in _built(_NL_PARTICLES, _NL_ROOTS) if name not in SURNAME_LISTS["nl"]
]
SURNAME_LISTS["fr"] += [
    name
    for name in _built(_FR_PARTICLES, [root.capitalize() for root in _FR_ROOTS])
    if name not in SURNAME_LISTS["fr"]
]
