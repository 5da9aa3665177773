package scenario

import "redress"

// Scenario is one kind of matter customers bring, with the texts of its
// handling. In the texts {outlet} is the outlet's name, {date} a day shortly
// before receipt, {amount} the amount involved and {staff} the name of the
// staff member complained about (see Particulars).
type Scenario struct {
	Kind         redress.Kind
	CodeB, CodeC string            // JR/T 0169 business and cause codes
	Channels     []redress.Channel // the channels it usually arrives by
	Subject      string
	Description  string
	Request      string
	Amount       [2]int // yuan range of the amount involved; zero for none
	Refund       bool   // the amount is paid back when the bank is at fault
	AboutStaff   bool   // the complaint names a member of staff
	Account      bool   // the complainant gives an account or card number
	OnSpot       bool   // may be resolved on the spot
	Liabilities  []redress.Liability
	Outcome      redress.Outcome // fixed outcome; "" derives it from the liability
	Finding      string
	Party        string // responsible party when the bank is at fault
	RootCause    string
	Basis        string
	Redress      string // what the bank does when the customer is right
}

// Shorthands for the scenario table.
const (
	fault   = redress.LiabilityBankFault
	partial = redress.LiabilityPartial
	noFault = redress.LiabilityNoFault
)

// Channel shorthands for the scenario table.
const (
	chCounter  = redress.ChannelCounter
	chVisit    = redress.ChannelVisit
	chBook     = redress.ChannelOpinionBook
	chLetter   = redress.ChannelLetter
	chPhone    = redress.ChannelPhone
	chHotline  = redress.ChannelHotline
	chOnline   = redress.ChannelOnlineBanking
	chApp      = redress.ChannelMobileApp
	chSelf     = redress.ChannelSelfService
	chEmail    = redress.ChannelEmail
	chWeChat   = redress.ChannelWeChat
	chRegulate = redress.ChannelRegulator
	chPost     = redress.ChannelOnlinePost
)

// scenarios are the matters customers bring, typical of Chinese banks.
var scenarios = []Scenario{
	{Kind: redress.KindComplaint, CodeB: "B06", CodeC: "C08",
		Channels: []redress.Channel{chCounter, chPhone, chApp, chHotline},
		Subject:  "理财产品实际收益与宣传不符",
		Description: "客户{date}在{outlet}经理财经理推荐购买一款净值型理财产品，理财经理称“年化收益4.5%左右、基本不会亏”。" +
			"产品到期后实际年化收益仅1.8%，较宣传少收益{amount}元。客户认为销售时夸大收益、未充分揭示风险。",
		Request: "要求按宣传收益补足差额{amount}元，并对理财经理的销售行为作出说明。",
		Amount:  [2]int{800, 15000}, Refund: true, Liabilities: []redress.Liability{partial, partial, fault, noFault},
		Finding: "调阅销售过程录音录像（双录），理财经理介绍产品时使用了“基本不会亏”等不当表述；" +
			"客户风险评估等级与产品风险等级（R2）匹配，客户已签署风险揭示书。",
		Party:     "{outlet}理财经理",
		RootCause: "营销方式：理财经理销售话术不规范，存在夸大收益的倾向；网点对销售行为的事中监督不足。",
		Basis:     "《商业银行理财业务监督管理办法》《理财公司理财产品销售管理暂行办法》及我行《个人理财产品销售管理办法》；产品说明书载明业绩比较基准不代表实际收益。",
		Redress:   "就销售人员不当表述向客户致歉，并给予收益差额补偿。"},
	{Kind: redress.KindComplaint, CodeB: "B03", CodeC: "C07",
		Channels: []redress.Channel{chPhone, chHotline, chApp, chWeChat, chCounter},
		Subject:  "信用卡年费扣收争议",
		Description: "客户称办理信用卡时营销人员承诺“首年免年费，刷满6次免次年年费”，{date}收到账单被扣收年费{amount}元。" +
			"客户认为办卡时未被告知年费收取规则。",
		Request: "要求退还已扣收的年费{amount}元。",
		Amount:  [2]int{200, 1200}, Refund: true, Account: true, Liabilities: []redress.Liability{noFault, partial},
		Finding:   "调取办卡申请资料及营销记录，领用合约已载明年费减免条件；系统显示客户上一年度刷卡4次，未达到免年费条件；营销人员口头介绍时未完整说明减免条件。",
		Party:     "信用卡中心营销人员",
		RootCause: "信息披露：营销人员对年费减免条件的口头说明不完整。",
		Basis:     "《商业银行信用卡业务监督管理办法》及客户签署的《信用卡领用合约》。",
		Redress:   "经协商为客户退还本期年费。"},
	{Kind: redress.KindComplaint, CodeB: "B01", CodeC: "C01",
		Channels: []redress.Channel{chCounter, chBook, chPhone, chHotline, chWeChat},
		Subject:  "柜员服务态度差",
		Description: "{date}客户在{outlet}办理存款业务，因询问业务办理进度，柜员语气生硬、不耐烦，并称“看不懂就别问”。" +
			"客户认为受到不尊重的对待。",
		Request:    "要求当事柜员道歉，网点加强员工服务培训。",
		AboutStaff: true, OnSpot: true, Liabilities: []redress.Liability{fault, fault, partial},
		Finding:   "调阅当日柜台监控录像及录音，当事柜员在客户询问时确有语气生硬、用语不规范的情况。",
		Party:     "{outlet}柜员{staff}",
		RootCause: "员工能力：当事员工服务意识不强，高峰时段情绪管理不到位。",
		Basis:     "《银行业营业网点文明规范服务标准》及我行《营业网点服务规范》关于服务用语与服务态度的规定。",
		Redress:   "网点负责人与当事柜员当面向客户致歉，并对当事员工进行服务规范再培训。"},
	{Kind: redress.KindComplaint, CodeB: "B03", CodeC: "C02",
		Channels: []redress.Channel{chSelf, chSelf, chCounter, chPhone},
		Subject:  "ATM吞卡",
		Description: "{date}晚客户在{outlet}自助银行ATM取款时，机器提示“交易超时”后吞卡，现金未吐出，" +
			"客户担心资金安全且急需用卡。",
		Request: "要求尽快取回银行卡，并核实交易是否成功、资金是否安全。",
		Account: true, OnSpot: true, Liabilities: []redress.Liability{fault, partial},
		Finding:   "调取ATM流水日志及监控录像，吞卡系设备通讯故障导致交易超时所致，取款交易已冲正，客户资金未受损失；银行卡已于次日清机时取出并登记。",
		Party:     "{outlet}自助设备管理岗",
		RootCause: "服务设施：ATM通讯模块老化，设备巡检不到位。",
		Basis:     "我行《自助设备管理办法》关于吞卡处理和设备巡检的规定。",
		Redress:   "核验客户身份后当面归还银行卡，就设备故障带来的不便致歉，并更换故障通讯模块。"},
	{Kind: redress.KindComplaint, CodeB: "B02", CodeC: "C09",
		Channels: []redress.Channel{chCounter, chPhone, chLetter, chRegulate, chHotline},
		Subject:  "提前还款被收取违约金",
		Description: "客户于{date}申请提前结清个人住房贷款，被告知需支付提前还款违约金{amount}元。" +
			"客户认为办理贷款时未被告知该条款。",
		Request: "要求免除提前还款违约金{amount}元。",
		Amount:  [2]int{1500, 30000}, Refund: true, Account: true, Liabilities: []redress.Liability{noFault, noFault, partial},
		Finding:   "调阅借款合同，合同明确约定“借款发放未满一年提前还款的，按提前还款本金的1%收取违约金”，客户已在该条款处签字；客户经理面签时未对该条款作重点提示。",
		Party:     "{outlet}个人贷款客户经理",
		RootCause: "合同条款：格式条款重点提示不到位，面签流程未要求逐条提示。",
		Basis:     "《中华人民共和国民法典》第四百九十六条关于格式条款提示说明义务的规定及双方签订的《个人住房借款合同》。",
		Redress:   "经协商减免部分违约金。"},
	{Kind: redress.KindComplaint, CodeB: "B04", CodeC: "C02",
		Channels: []redress.Channel{chApp, chApp, chPhone, chHotline, chWeChat},
		Subject:  "手机银行跨行转账失败资金未到账",
		Description: "客户{date}通过手机银行向他行账户转账{amount}元，页面一直显示“处理中”，收款方未收到款项，" +
			"账户资金已扣减，客户因此耽误支付货款。",
		Request: "要求查明资金去向、尽快到账，并赔偿由此造成的损失。",
		Amount:  [2]int{1000, 50000}, Account: true, Liabilities: []redress.Liability{fault, partial},
		Finding:   "查询交易流水及系统日志，当日系统升级期间跨行支付报文发送超时，交易于次日被自动退回客户账户，资金未损失。",
		Party:     "总行信息科技部",
		RootCause: "业务系统：系统升级期间跨行支付异常处理机制不完善，未及时向客户推送交易状态。",
		Basis:     "《电子支付指引（第一号）》及我行《电子银行业务管理办法》关于交易差错处理的规定。",
		Redress:   "向客户说明原因并致歉，协助客户重新发起转账，减免当年手机银行跨行转账手续费。"},
	{Kind: redress.KindComplaint, CodeB: "B05", CodeC: "C11",
		Channels: []redress.Channel{chPhone, chVisit, chLetter, chRegulate, chEmail},
		Subject:  "怀疑个人信息被泄露",
		Description: "客户在{outlet}办理业务后，陆续接到多个自称贷款、理财机构的营销电话，对方能说出其姓名和开户网点。" +
			"客户怀疑银行泄露个人信息。",
		Request:     "要求银行查明是否泄露个人信息，并给出书面答复。",
		Liabilities: []redress.Liability{noFault, noFault, partial},
		Finding:     "调取客户信息查询日志，近六个月内仅有客户本人办理业务时的正常查询记录，未发现违规查询、导出客户信息的情况；来电号码经核实不属于我行及合作机构。",
		Party:       "{outlet}",
		RootCause:   "消费者信息安全：未发现我行泄露，营销电话来源于外部渠道；网点对客户信息保护的解释工作不足。",
		Basis:       "《中华人民共和国个人信息保护法》《中国人民银行金融消费者权益保护实施办法》关于个人金融信息保护的规定。",
		Redress:     "提醒客户防范电信网络诈骗，协助客户向通信运营商举报骚扰号码。"},
	{Kind: redress.KindComplaint, CodeB: "B01", CodeC: "C01",
		Channels: []redress.Channel{chCounter, chBook, chBook, chWeChat, chPost},
		Subject:  "网点排队等候时间过长",
		Description: "{date}上午客户到{outlet}办理社保卡激活，取号后等候近一个半小时，现场仅开放两个窗口，" +
			"大堂无人引导分流。",
		Request: "要求网点增开窗口、改进排队管理。",
		OnSpot:  true, Liabilities: []redress.Liability{partial, fault},
		Finding:   "调取当日排队叫号系统数据，上午客户平均等候52分钟；当班一名柜员休假、一个窗口办理对公业务，大堂经理未及时引导客户使用自助设备分流。",
		Party:     "{outlet}运营主管",
		RootCause: "管理制度：高峰时段弹性排班机制不健全，大堂分流引导不足。",
		Basis:     "我行《营业网点服务规范》关于高峰时段弹性窗口和客户等候时间的要求。",
		Redress:   "向客户致歉，网点已调整高峰时段排班并增设弹性窗口。"},
	{Kind: redress.KindComplaint, CodeB: "B12", CodeC: "C12",
		Channels: []redress.Channel{chPhone, chHotline, chRegulate, chLetter, chPost},
		Subject:  "信用卡催收方式不当",
		Description: "客户信用卡逾期两期，近期频繁接到催收电话，最多一天超过十次，催收人员还致电客户单位同事，" +
			"言语带有威胁。客户认为严重影响其工作和生活。",
		Request:     "要求停止骚扰性催收，不得联系无关第三人，并对催收人员予以处理。",
		Account:     true,
		Liabilities: []redress.Liability{fault, partial},
		Finding:     "调取催收录音及外呼记录，委外催收机构在一日内拨打客户电话11次，并两次联系客户工作单位同事，违反我行催收管理规定。",
		Party:       "信用卡中心委外催收机构",
		RootCause:   "债务催收方式：对委外催收机构的过程监督不到位，外呼频次管控失效。",
		Basis:       "《商业银行信用卡业务监督管理办法》关于催收行为的规定及我行《信用卡催收管理办法》。",
		Redress:     "停止该机构对客户的催收，改由行内人员与客户协商还款安排，并对催收机构予以处罚。"},
	{Kind: redress.KindComplaint, CodeB: "B01", CodeC: "C05",
		Channels: []redress.Channel{chCounter, chPhone, chBook, chLetter},
		Subject:  "定期存款利率与办理时告知不一致",
		Description: "客户{date}在{outlet}办理三年期定期存款，网点公告栏和工作人员告知利率为2.6%，存款回单显示利率为2.35%，" +
			"客户认为少计利息{amount}元。",
		Request: "要求按告知利率计息，补足利息差额{amount}元。",
		Amount:  [2]int{100, 3000}, Refund: true, Account: true, Liabilities: []redress.Liability{partial, fault},
		Finding:   "经核实，我行于客户办理业务前两日下调存款挂牌利率，网点公告栏利率牌未及时更新，工作人员按旧公告告知客户。",
		Party:     "{outlet}",
		RootCause: "信息披露：利率调整后网点公告更新不及时，员工未核实系统利率。",
		Basis:     "《中华人民共和国商业银行法》第三十一条及《储蓄管理条例》关于利率公告的规定。",
		Redress:   "向客户致歉，并按告知利率补足利息差额。"},
	{Kind: redress.KindComplaint, CodeB: "B07", CodeC: "C04",
		Channels: []redress.Channel{chCounter, chVisit, chRegulate, chLetter, chPhone},
		Subject:  "代销保险产品存在误导销售",
		Description: "客户于{date}到{outlet}办理存款，工作人员推荐一款“高收益存款产品”，客户签字后才发现实为分红型保险，" +
			"交费期十年，年交保费{amount}元，现申请退保将损失大部分本金。",
		Request: "要求全额退还已交保费{amount}元。",
		Amount:  [2]int{10000, 100000}, Refund: true, Liabilities: []redress.Liability{partial, fault},
		Finding:   "调阅销售过程录音录像，销售人员介绍时多次使用“存款”“保本”等表述，未充分说明产品为保险产品及退保损失；投保单为客户本人签字，已过犹豫期。",
		Party:     "{outlet}理财经理",
		RootCause: "营销方式：代销保险产品时混淆存款与保险，未履行风险提示义务。",
		Basis:     "《商业银行代理保险业务管理办法》及《保险销售行为管理办法》关于如实告知和风险提示的规定。",
		Redress:   "协调保险公司为客户办理全额退保，退还已交保费。"},
	{Kind: redress.KindComplaint, CodeB: "B03", CodeC: "C10",
		Channels: []redress.Channel{chPhone, chHotline, chCounter, chApp},
		Subject:  "借记卡被盗刷",
		Description: "客户{date}凌晨收到短信提示，其借记卡在境外发生多笔网络消费共{amount}元，" +
			"客户本人卡片一直在身边，未进行过上述交易。",
		Request: "要求银行查明情况并追回被盗刷资金。",
		Amount:  [2]int{500, 20000}, Refund: true, Account: true, Liabilities: []redress.Liability{partial, noFault},
		Finding:   "查询交易明细，争议交易为境外无卡网络交易，已收集客户报案回执及卡片在身证明，并通过卡组织发起拒付；我行风控规则对该类交易未触发预警。",
		Party:     "银行卡中心风险管理部门",
		RootCause: "消费者资金安全：境外无卡交易风控规则覆盖不足。",
		Basis:     "中国人民银行关于银行卡安全管理的规定及我行银行卡章程关于争议交易处理的约定。",
		Redress:   "拒付成功后退回争议交易款项，为客户更换芯片卡并关闭境外无卡支付功能。"},
	{Kind: redress.KindComplaint, CodeB: "B01", CodeC: "C03",
		Channels: []redress.Channel{chCounter, chBook, chPost, chWeChat},
		Subject:  "开户被要求提供过多证明材料",
		Description: "客户{date}到{outlet}开立个人借记卡，工作人员要求提供工作证明和居住证明，" +
			"客户认为要求不合理，当场与工作人员发生争执。",
		Request: "要求说明开户所需材料的依据，简化开户流程。",
		OnSpot:  true, Liabilities: []redress.Liability{partial, noFault},
		Finding:   "经核实，客户同一日内已在多家银行新开账户，柜员依据反电信网络诈骗要求开展尽职调查；但柜员解释不充分，未告知客户可先开立限额账户。",
		Party:     "{outlet}柜员",
		RootCause: "管理制度：开户尽职调查要求的解释口径不统一，柜员沟通能力不足。",
		Basis:     "《中华人民共和国反电信网络诈骗法》第十六条及《人民币银行结算账户管理办法》。",
		Redress:   "向客户解释开户尽职调查的依据，为客户开立限额账户，后续可申请解除限额。"},
	{Kind: redress.KindComplaint, CodeB: "B02", CodeC: "C06",
		Channels: []redress.Channel{chVisit, chPhone, chRegulate, chLetter, chCounter},
		Subject:  "办理贷款被要求搭售保险",
		Description: "客户在{outlet}申请个人经营贷款时，客户经理表示“买一份保险，审批更容易通过”。" +
			"客户被迫于{date}购买保险，保费{amount}元。",
		Request: "要求退还搭售的保险保费{amount}元，并对相关人员进行处理。",
		Amount:  [2]int{3000, 50000}, Refund: true, Liabilities: []redress.Liability{fault, partial},
		Finding:   "调取贷款审批资料及通话记录，客户经理在贷前沟通中确有将购买保险与贷款审批挂钩的表述，该保险产品与贷款审批无关联。",
		Party:     "{outlet}客户经理",
		RootCause: "自主选择权：客户经理为完成中间业务指标违规搭售，考核机制存在导向偏差。",
		Basis:     "《银行保险机构消费者权益保护管理办法》关于不得捆绑搭售的规定。",
		Redress:   "协调保险公司全额退保，并对当事客户经理进行问责。"},
	{Kind: redress.KindComplaint, CodeB: "B13", CodeC: "C07",
		Channels: []redress.Channel{chApp, chPhone, chCounter, chOnline},
		Subject:  "未经同意开通短信通知服务并收费",
		Description: "客户查询账户明细时发现每月被扣收短信通知服务费2元，累计{amount}元，" +
			"客户称从未申请开通该服务。",
		Request: "要求关闭短信通知服务并退还已扣收的费用{amount}元。",
		Amount:  [2]int{24, 96}, Refund: true, Account: true, OnSpot: true, Liabilities: []redress.Liability{fault, partial},
		Finding:   "查询业务开通记录，该服务系开户时默认勾选开通，开户申请书中未单独提示收费标准。",
		Party:     "{outlet}",
		RootCause: "定价收费：开户时默认开通收费服务，未履行事先告知义务。",
		Basis:     "《商业银行服务价格管理办法》关于收费项目事先告知的规定。",
		Redress:   "关闭短信通知收费服务，退还全部已扣收的费用。"},
	{Kind: redress.KindComplaint, CodeB: "B09", CodeC: "C05",
		Channels: []redress.Channel{chCounter, chPhone, chBook},
		Subject:  "外币现钞取款需预约未提前告知",
		Description: "客户{date}到{outlet}支取5000美元现钞用于出国留学，被告知需提前预约；" +
			"客户此前电话咨询时未被告知需预约，白跑一趟。",
		Request: "要求网点说明预约规定，并尽快安排取款。",
		OnSpot:  true, Liabilities: []redress.Liability{partial, noFault},
		Finding:   "经核实，按规定大额外币现钞支取需提前一个工作日预约；客户此前来电时接听员工未告知预约要求。",
		Party:     "{outlet}",
		RootCause: "信息披露：外币现钞预约规定未在网点及电话咨询中充分告知。",
		Basis:     "《个人外汇管理办法实施细则》及我行外币现钞管理规定。",
		Redress:   "向客户致歉，调拨现钞于次日上午为客户办理，并在网点公示预约规定。"},
	{Kind: redress.KindComplaint, CodeB: "B10", CodeC: "C03",
		Channels: []redress.Channel{chCounter, chBook, chPhone},
		Subject:  "残缺污损人民币兑换被拒",
		Description: "客户{date}持一张被水浸泡后部分破损的100元纸币到{outlet}要求兑换，柜员以“破损太严重”为由拒绝，" +
			"且未说明兑换标准。",
		Request: "要求按规定兑换残损人民币。",
		OnSpot:  true, Liabilities: []redress.Liability{fault, partial},
		Finding:   "经复点，该纸币剩余面积超过原面积的四分之三，图案、文字能按原样连接，应全额兑换；当班柜员对兑换标准掌握不准确。",
		Party:     "{outlet}柜员",
		RootCause: "员工能力：柜员对残缺污损人民币兑换标准掌握不准确。",
		Basis:     "《中国人民银行残缺污损人民币兑换办法》。",
		Redress:   "当场为客户全额兑换，并组织网点柜员学习残损币兑换标准。"},
	{Kind: redress.KindComplaint, CodeB: "B08", CodeC: "C08",
		Channels: []redress.Channel{chCounter, chApp, chPhone},
		Subject:  "实物黄金回购价格差价过大",
		Description: "客户申请回购此前在我行购买的投资金条，回购价格较当日销售价格每克低20余元，合计差价{amount}元，" +
			"客户称购买时未被告知回购规则。",
		Request: "要求按购买价格回购，或解释回购定价依据。",
		Amount:  [2]int{200, 5000}, Liabilities: []redress.Liability{noFault, partial},
		Finding:   "回购价格按当日上海黄金交易所基准价扣除回购手续费确定，符合产品规则；产品说明书已载明回购规则，但客户经理销售时未作口头提示。",
		Party:     "{outlet}",
		RootCause: "产品收益：回购定价规则较复杂，销售时提示不充分。",
		Basis:     "我行《贵金属业务管理办法》及产品说明书中关于回购价格的约定。",
		Redress:   "向客户详细说明回购定价依据，提供回购价格查询方式。"},
	{Kind: redress.KindComplaint, CodeB: "B04", CodeC: "C02",
		Channels: []redress.Channel{chOnline, chOnline, chEmail, chPhone, chHotline},
		Subject:  "网上银行频繁掉线无法完成缴费",
		Description: "客户反映近一周使用我行个人网上银行缴纳物业费时，登录后几分钟即提示“会话超时”，" +
			"多次尝试均无法完成缴费，导致缴费逾期。",
		Request:     "要求尽快修复网上银行故障，并协助处理逾期缴费产生的滞纳金。",
		Liabilities: []redress.Liability{fault, partial},
		Finding:     "经信息科技部门排查，网银新版本上线后与部分旧版浏览器存在兼容问题，导致会话异常中断，已于次日发布修复补丁。",
		Party:       "总行信息科技部",
		RootCause:   "业务系统：新版本上线前兼容性测试覆盖不足。",
		Basis:       "我行《电子银行业务管理办法》及《信息系统变更管理办法》。",
		Redress:     "向客户致歉，协助客户通过柜面完成缴费，并与物业公司沟通减免滞纳金。"},
	{Kind: redress.KindComplaint, CodeB: "B03", CodeC: "C05",
		Channels: []redress.Channel{chWeChat, chWeChat, chPost, chApp, chHotline},
		Subject:  "信用卡分期手续费实际年化利率未明示",
		Description: "客户{date}通过微信推送办理信用卡账单分期，宣传页面显示“每期手续费率仅0.6%”，" +
			"客户事后计算实际年化利率超过13%，共支付手续费{amount}元，认为宣传误导。",
		Request: "要求退还部分分期手续费，并在宣传页面明示年化利率。",
		Amount:  [2]int{300, 6000}, Refund: true, Account: true, Liabilities: []redress.Liability{partial, noFault},
		Finding:   "分期业务宣传页面仅展示每期费率，未以显著方式展示年化利率；分期合同中已列明手续费总额。",
		Party:     "信用卡中心",
		RootCause: "信息披露：分期业务宣传页面未明示年化利率。",
		Basis:     "中国人民银行公告〔2021〕第3号关于贷款产品明示年化利率的要求。",
		Redress:   "按协商结果退还部分分期手续费，宣传页面已整改。"},
	{Kind: redress.KindInquiry, CodeB: "B13", CodeC: "C99",
		Channels:    []redress.Channel{chCounter, chPhone, chHotline, chApp, chWeChat},
		Subject:     "咨询个人养老金账户开立及税收优惠",
		Description: "客户咨询个人养老金资金账户的开立条件、年度缴存上限以及税收优惠政策。",
		Request:     "希望了解个人养老金账户的办理流程。",
		OnSpot:      true, Liabilities: []redress.Liability{noFault}, Outcome: redress.OutcomeUpheld,
		Finding:   "客户所询事项属于政策咨询，不涉及业务差错。",
		RootCause: "政策咨询，无业务差错。",
		Basis:     "《个人养老金实施办法》及我行个人养老金业务操作规程。",
		Redress:   "已向客户解答开户条件、缴存上限（每年12000元）及税收优惠政策，并协助客户通过手机银行开户。"},
	{Kind: redress.KindInquiry, CodeB: "B02", CodeC: "C99",
		Channels:    []redress.Channel{chPhone, chHotline, chCounter, chOnline, chEmail},
		Subject:     "咨询存量房贷利率调整安排",
		Description: "客户询问其存量个人住房贷款利率何时调整、调整后的利率水平，以及是否需要本人到网点办理。",
		Request:     "希望了解房贷利率调整安排。",
		OnSpot:      true, Liabilities: []redress.Liability{noFault}, Outcome: redress.OutcomeUpheld,
		Finding:   "客户所询事项属于政策咨询，不涉及业务差错。",
		RootCause: "政策咨询，无业务差错。",
		Basis:     "中国人民银行关于存量首套住房贷款利率调整的相关通知。",
		Redress:   "已告知客户利率调整由我行批量办理，无需本人申请，并告知调整后利率的查询方式。"},
	{Kind: redress.KindSuggestion, CodeB: "B99", CodeC: "C01",
		Channels:    []redress.Channel{chBook, chCounter, chLetter, chEmail},
		Subject:     "建议增设老年人服务专窗",
		Description: "客户建议{outlet}设置老年人优先服务窗口，配备老花镜、放大镜和轮椅，并在叫号系统中为老年客户提供优先叫号。",
		Request:     "希望网点改进适老化服务。",
		OnSpot:      true, Liabilities: []redress.Liability{noFault}, Outcome: redress.OutcomeUpheld,
		Finding:   "网点已配备老花镜和轮椅，但未设置老年人优先窗口，客户建议具有可行性。",
		RootCause: "服务改进建议。",
		Basis:     "国务院办公厅《关于切实解决老年人运用智能技术困难的实施方案》及我行适老化服务工作要求。",
		Redress:   "采纳客户建议，网点已增设“爱心窗口”优先为老年客户办理业务。"},
	{Kind: redress.KindSuggestion, CodeB: "B04", CodeC: "C02",
		Channels:    []redress.Channel{chApp, chWeChat, chEmail, chOnline},
		Subject:     "建议手机银行推出大字版界面",
		Description: "客户建议手机银行推出大字版、简洁版界面，方便老年人查询余额和转账。",
		Request:     "希望手机银行改进适老化设计。",
		Liabilities: []redress.Liability{noFault}, Outcome: redress.OutcomeUpheld,
		Finding:   "已将客户建议转交总行手机银行产品团队，该功能已列入下一版本需求。",
		RootCause: "产品改进建议。",
		Basis:     "我行《电子银行适老化改造工作方案》。",
		Redress:   "建议已被采纳，将在手机银行下一版本上线大字版。"},
	{Kind: redress.KindPetition, CodeB: "B02", CodeC: "C03",
		Channels: []redress.Channel{chVisit, chVisit, chLetter, chRegulate},
		Subject:  "对征信逾期记录处理结果不服来访",
		Description: "信访人称其在{outlet}办理的个人经营贷款已按期归还，但征信报告仍显示一笔逾期记录，" +
			"此前多次反映未获解决，本次来访要求给予明确答复。",
		Request: "要求更正征信逾期记录，并书面答复处理结果。",
		Account: true, Liabilities: []redress.Liability{partial, noFault},
		Finding:   "经核查还款流水，客户某期还款因扣款账户余额不足延迟3天入账，征信逾期记录准确；但此前答复未说明逾期原因及异议处理途径。",
		Party:     "{outlet}个人贷款部",
		RootCause: "管理制度：征信异议处理答复不完整，未向客户说明依据。",
		Basis:     "《征信业管理条例》及《信访工作条例》。",
		Redress:   "向信访人出具书面答复，说明逾期记录形成原因及征信异议申请途径。"},
	{Kind: redress.KindOther, CodeB: "B99", CodeC: "C99",
		Channels:    []redress.Channel{chCounter, chPhone},
		Subject:     "遗失物品查询",
		Description: "客户称{date}在{outlet}办理业务时遗失一个黑色钱包，内有身份证和少量现金，希望网点协助查找。",
		Request:     "希望网点协助查找遗失物品。",
		OnSpot:      true, Liabilities: []redress.Liability{noFault}, Outcome: redress.OutcomeUpheld,
		Finding:   "调阅监控录像，钱包遗落于填单台，已由大堂经理拾得并登记于拾遗物品登记簿。",
		RootCause: "非业务事项，客户遗失物品。",
		Basis:     "我行《营业网点拾遗物品管理规定》。",
		Redress:   "核验身份后将钱包交还客户，客户签字确认。"},
	{Kind: redress.KindOther, CodeB: "B99", CodeC: "C01",
		Channels:    []redress.Channel{chBook, chPhone, chWeChat},
		Subject:     "网点门前停车管理不便",
		Description: "客户反映{outlet}门前停车位长期被占用，办理业务时无处停车，保安要求挪车时态度生硬。",
		Request:     "希望网点协调解决停车问题，规范保安服务用语。",
		Liabilities: []redress.Liability{partial},
		Finding:     "网点门前车位为公共车位，由物业统一管理；保安劝离时用语欠规范。",
		Party:       "{outlet}安保外包人员",
		RootCause:   "服务质量：外包安保人员服务用语培训不足。",
		Basis:       "我行《营业网点服务规范》关于外包人员管理的规定。",
		Redress:     "向客户致歉，已与物业协调设置临时停车位，并对安保人员进行培训。"},
}
